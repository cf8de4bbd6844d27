/**
 * The panel's stylesheet, inside the widget's shadow root, so the host page's CSS cannot reach it (and ours
 * cannot leak out). Pixel units only: `rem` would follow the host page's `html { font-size }`.
 */
export const callStyles = `
[hidden]{display:none!important}
.panel{position:fixed;right:20px;bottom:88px;z-index:2147483001;box-sizing:border-box;width:320px;
  max-height:calc(100vh - 108px);overflow:auto;padding:16px;border-radius:16px;background:#fff;color:#1f2933;
  font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;text-align:left;
  box-shadow:0 12px 40px rgba(15,23,42,.28);animation:sb-in .18s ease-out}
.panel *,.panel *::before,.panel *::after{box-sizing:border-box;font:inherit;color:inherit;letter-spacing:normal;
  text-transform:none;margin:0}
@keyframes sb-in{from{opacity:0;transform:translateY(8px)}to{opacity:1;transform:none}}
.head{display:flex;align-items:center;justify-content:space-between;gap:8px;margin-bottom:8px}
.title{font-weight:700;font-size:17px}
.icon-btn{width:44px;height:44px;border:0;border-radius:22px;background:transparent;cursor:pointer;font-size:22px;
  line-height:1;color:#52606d}
.icon-btn:hover{background:#f1f5f9}
.status{margin:4px 0 12px;padding:10px 12px;border-radius:10px;background:#f1f5f9;min-height:44px}
.status[data-state="connected"]{background:#dcfce7;color:#14532d}
.status[data-state="ended"]{background:#f1f5f9}
.status[data-error]{background:#fee2e2;color:#7f1d1d}
form{display:grid;gap:10px}
label{display:grid;gap:4px;font-weight:600;font-size:14px}
.opt{font-weight:400;color:#52606d}
input{width:100%;min-height:44px;padding:8px 12px;border:1px solid #9aa5b1;border-radius:10px;background:#fff;
  font-weight:400;font-size:16px}
input[aria-invalid="true"]{border-color:#b91c1c}
.err{color:#b91c1c;font-weight:400;font-size:13px}
.note{font-size:12px;color:#52606d}
.btn{min-height:44px;padding:10px 16px;border:0;border-radius:22px;cursor:pointer;font-weight:700;
  background:var(--sb-accent,#0f766e);color:#fff;width:100%}
.btn:hover{filter:brightness(1.08)}
.btn.secondary{background:#e4e7eb;color:#1f2933}
.btn.danger{background:#b91c1c}
.btn[aria-pressed="true"]{background:#334155;color:#fff}
button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
[tabindex="-1"]:focus{outline:none}
.status[data-state="place-kept"]{background:#dcfce7;color:#14532d}
.notice{margin:0 0 12px;padding:8px 12px;border-radius:10px;background:#fef3c7;color:#78350f;font-size:14px}
.keep,.sub,.deflection,.scheduler{display:grid;gap:10px}
.keep{margin-bottom:12px}
.deflection{margin-bottom:12px}
.offer{font-weight:700;font-size:16px}
.message{white-space:pre-line;overflow-wrap:anywhere}
.link{color:var(--sb-accent,#0f766e);font-weight:700;text-decoration:underline;overflow-wrap:anywhere}
.slots{display:grid;gap:12px}
.day h4{font-weight:600;font-size:14px;margin-bottom:6px}
.times{display:grid;grid-template-columns:repeat(auto-fill,minmax(84px,1fr));gap:6px}
.times button{min-height:44px;padding:4px;border:1px solid #9aa5b1;border-radius:10px;background:#fff;cursor:pointer;
  font-weight:600;font-variant-numeric:tabular-nums}
.times button:hover{border-color:var(--sb-accent,#0f766e)}
.times button:disabled{cursor:progress;opacity:.6}
.times button[aria-busy="true"]{background:var(--sb-accent,#0f766e);color:#fff;opacity:1}
.confirmed{padding:10px 12px;border-radius:10px;background:#dcfce7;color:#14532d;font-weight:600}
.timer{font-variant-numeric:tabular-nums;font-size:28px;font-weight:700;text-align:center;margin:4px 0 12px}
.row{display:grid;grid-template-columns:1fr 1fr;gap:8px;margin-bottom:12px}
.row.single{grid-template-columns:1fr}
.status[data-state="voicemail"]{background:#fef3c7;color:#78350f}
.voicemail{display:grid;gap:8px;margin-bottom:12px}
.rec{display:flex;align-items:center;gap:8px;font-weight:700}
.rec-dot{width:12px;height:12px;border-radius:6px;background:#b91c1c;animation:sb-rec 1.2s ease-in-out infinite}
@keyframes sb-rec{50%{opacity:.3}}
.vm-timer{margin-left:auto;font-variant-numeric:tabular-nums}
.keypad{display:grid;grid-template-columns:repeat(3,1fr);gap:6px}
.keypad button{min-height:44px;border:1px solid #cbd2d9;border-radius:10px;background:#fff;cursor:pointer;
  font-size:18px;font-weight:600}
.keypad button:active{background:#e4e7eb}
@media (max-width:480px){.panel{left:0;right:0;bottom:0;width:auto;max-height:100vh;border-radius:16px 16px 0 0;
  padding-bottom:calc(16px + env(safe-area-inset-bottom,0px))}}
@media (prefers-reduced-motion:reduce){.panel,.rec-dot{animation:none}}
`;
