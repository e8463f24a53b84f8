// Loads one page of the site in an iframe of a given width (?page=/site/index.html&width=390),
// waits for its verification to finish, then runs axe-core inside it and writes a report
// that the browser test reads from the dumped DOM (#a11y-report, one fact per line):
//   width <iframe's inner width> <document's scroll width>
//   verify <class of #verify-status, or "none">
//   violation <impact> <rule id> <nodes> <first target> | <help>
//   done
// An iframe and not the browser window: headless Chromium's window is at least 500
// pixels wide, a phone's is 390.
(function () {
  const params = new URLSearchParams(location.search);
  const width = Number(params.get('width') || '1280');
  const lines = [];
  const report = (line) => lines.push(line);
  const finish = () => {
    const out = document.getElementById('a11y-report');
    out.textContent = lines.concat(['done']).join('\n');
  };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  async function run() {
    const frame = document.createElement('iframe');
    frame.width = String(width);
    frame.height = '900';
    frame.title = 'page under test';
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    frame.src = params.get('page');
    document.body.appendChild(frame);
    await loaded;
    const win = frame.contentWindow;
    const doc = frame.contentDocument;
    // Record and plan pages verify themselves first; check what the reader finally sees.
    for (let i = 0; i < 200; i++) {
      const status = doc.getElementById('verify-status');
      const search = doc.getElementById('search-status');
      const pending = (status && status.className === 'verify-pending') ||
                      (search && search.className === 'search-running');
      if (!pending) break;
      await sleep(100);
    }
    const status = doc.getElementById('verify-status');
    report(`verify ${status ? status.className : 'none'}`);
    report(`width ${win.innerWidth} ${doc.documentElement.scrollWidth}`);
    frame.height = String(Math.max(900, doc.documentElement.scrollHeight));
    const script = doc.createElement('script');
    script.src = '/a11y/axe-core/axe.min.js';
    const axeLoaded = new Promise((resolve, reject) => {
      script.addEventListener('load', resolve, { once: true });
      script.addEventListener('error', () => reject(new Error('axe.min.js did not load')), { once: true });
    });
    doc.head.appendChild(script);
    await axeLoaded;
    const results = await win.axe.run(doc, { resultTypes: ['violations'] });
    for (const v of results.violations) {
      const target = v.nodes.length && v.nodes[0].target ? String(v.nodes[0].target.join(' ')) : '';
      report(`violation ${v.impact || 'none'} ${v.id} ${v.nodes.length} ${target.replace(/\s+/g, '_')} | ${v.help}`);
    }
  }

  window.addEventListener('load', () => {
    run().catch((e) => report(`error ${e && e.message ? e.message : e}`)).finally(finish);
  });
})();
