/**
 * `google.script.run` for the built sidebar page outside Apps Script (the sandbox's /sidebar, the
 * sidebar tests in Chromium): the same chainable runner (`withSuccessHandler`, `withFailureHandler`,
 * then any server function by name), each call handed to `send`. Arguments and results cross as JSON,
 * as values do in Apps Script (which drops Dates).
 *
 * `send` is the source of a browser function `(name, argsJson) => Promise<value>` that rejects with the
 * server function's failure; the failure handler gets an Error with its message.
 */
export function googleScriptRunShim(send: string): string {
  return `
window.google = { script: { get run() {
  const send = ${send};
  let ok = () => {}, fail = () => {};
  const runner = new Proxy({}, { get(_, name) {
    if (name === 'withSuccessHandler') return (f) => { ok = f; return runner; };
    if (name === 'withFailureHandler') return (f) => { fail = f; return runner; };
    return (...args) => send(String(name), JSON.stringify(args))
      .then((value) => ok(value), (error) => fail(new Error(String((error && error.message) || error))));
  } });
  return runner;
} } };`;
}
