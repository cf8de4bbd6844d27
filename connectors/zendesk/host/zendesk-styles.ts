/** Styles for what the Zendesk locations draw around the softphone: the candidate chooser and the sidebar list. */
export const zendeskStyles = `
.zd-candidates{margin:0 0 8px}
.zd-candidate-list{display:grid;gap:6px;margin:0;padding:0;list-style:none}
.zd-candidate-list .sp-btn{width:100%;text-align:left;overflow-wrap:anywhere}
.zd-recent{font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#2f3941}
.zd-recent h2{margin:0 0 6px;font-size:14px}
.zd-calls{display:grid;gap:8px;margin:0;padding:0;list-style:none}
.zd-calls li{padding:6px 0;border-bottom:1px solid #e9ebed;overflow-wrap:anywhere}
.zd-meta{margin:2px 0;color:#68737d}
.zd-error{margin:2px 0;color:#cc3340}
`;

export function addStyles(document: Document, css: string, marker: string): void {
  if (document.querySelector(`style[data-${marker}]`)) return;
  const style = document.createElement('style');
  style.setAttribute(`data-${marker}`, '');
  style.textContent = css;
  document.head.append(style);
}
