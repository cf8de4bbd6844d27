/**
 * The console's stylesheet. Compact first: it must work in a 250–320 px CRM softphone frame, and grows to a
 * two-column page (console + host panel) on a wide standalone window.
 */
export const softphoneStyles = `
[hidden]{display:none!important}
.sp-page{box-sizing:border-box;min-height:100vh;margin:0;padding:0;background:#eef2f6;color:#1f2933;
  font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.sp-page *,.sp-page *::before,.sp-page *::after{box-sizing:border-box}
.sp-layout{display:grid;gap:12px;padding:8px;grid-template-columns:minmax(0,1fr)}
@media (min-width:720px){.sp-layout{grid-template-columns:minmax(280px,360px) minmax(0,480px);justify-content:center;
  padding:24px}}
.sp{min-width:0;background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(15,23,42,.15);overflow:hidden}
.sp-bar{display:flex;align-items:center;gap:6px;padding:8px 10px;background:#0f172a;color:#fff}
.sp-brand{font-weight:800;letter-spacing:.02em}
.sp-brand{flex:1}
.sp-agent{margin:0;font-weight:700;overflow-wrap:anywhere}
.sp-agent:empty{display:none}
.sp-reg{display:inline-flex;align-items:center;gap:4px;font-size:12px;white-space:nowrap}
.sp-reg::before{content:"";width:8px;height:8px;border-radius:50%;background:#ef4444}
.sp-reg[data-state="registered"]::before{background:#22c55e}
.sp-body{display:grid;gap:10px;padding:10px}
.sp h1{margin:0;font-size:16px}
.sp label{display:grid;gap:3px;font-weight:600;font-size:13px}
.sp input,.sp select{width:100%;min-width:0;min-height:36px;padding:6px 8px;border:1px solid #9aa5b1;border-radius:6px;
  background:#fff;color:inherit;font:inherit;font-weight:400}
.sp details summary{cursor:pointer;font-size:12px;color:#52606d}
.sp-btn{min-height:40px;padding:8px 12px;border:0;border-radius:8px;cursor:pointer;font:inherit;font-weight:700;
  background:#0f766e;color:#fff}
.sp-btn:hover{filter:brightness(1.08)}
.sp-btn:disabled{opacity:.55;cursor:default}
.sp-btn.answer{background:#15803d}
.sp-btn.danger{background:#b91c1c}
.sp-btn.quiet{background:#e4e7eb;color:#1f2933}
.sp-btn[aria-pressed="true"]{background:#334155;color:#fff}
.sp-icon{min-height:32px;padding:0 6px;border:1px solid rgba(255,255,255,.35);border-radius:6px;background:transparent;
  color:#fff;cursor:pointer;font:inherit;font-size:12px;white-space:nowrap}
.sp-icon:hover{background:rgba(255,255,255,.15)}
.sp button:focus-visible,.sp input:focus-visible,.sp select:focus-visible,.sp summary:focus-visible{
  outline:3px solid #f59e0b;outline-offset:2px}
.sp-error{margin:0;color:#b91c1c;font-size:13px}
.sp-presence{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:6px;align-items:end}
.sp-status{margin:0;padding:8px 10px;border-radius:8px;background:#f1f5f9;font-weight:600}
.sp-status[data-state="ringing"]{background:#fef3c7;color:#78350f}
.sp-status[data-state="in-call"]{background:#dcfce7;color:#14532d}
.sp-status[data-state="dialing"]{background:#ccfbf1;color:#134e4a}
.sp-detail{margin:0;color:#52606d;font-size:13px}
.sp-detail:empty{display:none}
.sp-card{display:grid;gap:6px;padding:10px;border:2px solid #f59e0b;border-radius:10px;background:#fffbeb}
.sp-card.live{border-color:#22c55e;background:#f0fdf4}
.sp-card.outgoing{border-color:#0f766e;background:#f0fdfa}
.sp-card p{margin:0;overflow-wrap:anywhere}
.sp-name{font-size:16px;font-weight:700}
.sp-meta{font-size:12px;color:#52606d}
.sp-row{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:6px}
.sp-row3{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:6px}
.sp-row3 .sp-btn{padding:8px 4px}
.sp-row3 .danger{grid-column:1/-1}
@media (min-width:300px){.sp-row3{grid-template-columns:repeat(3,minmax(0,1fr))}.sp-row3 .danger{grid-column:auto}}
.sp-link{border:0;background:none;color:#52606d;font:inherit;font-size:12px;text-decoration:underline;cursor:pointer;
  justify-self:start;padding:4px 0}
.sp-timer{font-size:22px;font-weight:700;font-variant-numeric:tabular-nums;text-align:center;margin:0}
.sp-notices{display:grid;gap:4px;padding:0 10px 10px}
.sp-notices:empty{display:none}
.sp-notice{margin:0;padding:6px 8px;border-radius:6px;font-size:12px;background:#e0f2fe;color:#075985}
.sp-notice[data-kind="warning"]{background:#fef3c7;color:#78350f}
.sp-notice[data-kind="error"]{background:#fee2e2;color:#7f1d1d}
.sp-host h2{margin:0 0 6px;font-size:14px}
.sp-host section{display:grid;gap:6px}
.sp-host ol{margin:0;padding:0;list-style:none;display:grid;gap:4px}
.sp-host li{padding:6px 8px;border-radius:6px;background:#f8fafc;font-size:12px;overflow-wrap:anywhere}
.sp-dial{display:grid;grid-template-columns:1fr auto;gap:6px}
.sp-agent-state{display:grid;gap:6px}
.sp-wrap{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:6px 6px 6px 10px;
  border-radius:8px;background:#e0f2fe;color:#075985;font-weight:700}
.sp-wrap-left{font-variant-numeric:tabular-nums}
.sp-missed{margin:0;padding:8px 10px;border-radius:8px;background:#fef3c7;color:#78350f;font-size:13px}
.sp-kind{justify-self:start;margin:0;padding:2px 8px;border-radius:999px;background:#e2e8f0;color:#334155;font-size:11px;
  font-weight:800;text-transform:uppercase;letter-spacing:.06em}
.sp-kind[data-kind="callback"]{background:#ede9fe;color:#5b21b6}
.sp-title{font-size:12px;font-weight:800;text-transform:uppercase;letter-spacing:.04em;color:#78350f}
.sp-callback{display:block;font-size:20px;font-weight:800;color:#1f2933;overflow-wrap:anywhere;
  font-variant-numeric:tabular-nums}
a.sp-callback[href]{color:#0f766e}
.sp-dial-out{display:grid;gap:2px}
.sp-rec-row{display:grid;gap:6px}
.sp-rec{display:flex;align-items:center;gap:6px;margin:0;padding:6px 10px;border-radius:8px;background:#e2e8f0;
  color:#334155;font-size:13px;font-weight:700}
.sp-rec[data-state="paused"]{background:#fee2e2;color:#7f1d1d}
.sp-rec[data-state="paused"]::before{content:"";flex:none;width:10px;height:10px;border-radius:2px;background:#b91c1c}
.sp a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
@keyframes sp-pulse{50%{box-shadow:0 0 0 6px rgba(245,158,11,.25)}}
.sp-card.ringing{animation:sp-pulse 1.2s ease-in-out infinite}
@media (prefers-reduced-motion:reduce){.sp-card.ringing{animation:none}}
`;
