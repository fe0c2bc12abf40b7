// The top-level functions Apps Script needs. Sheets reads the JSDoc right above each custom function
// for autocomplete and argument help, and esbuild drops comments, so they are written here and
// appended to the bundle. Each stub only forwards to the bundled module (globalName Tierwise).

const DATA = '@param {A1:E500} data Customer table or transaction log, with its header row.';
const CONFIG =
  "@param {'Tierwise Config'!A2:A41} config Optional: the sidebar's config range. Default: RFM segments.";
const AS_OF =
  '@param {DATE(2024,6,30)} as_of Optional: grade as of this date. Default: latest date in the data.';
const COLUMNS =
  '@param {"orders=# Visits"} columns Optional: field=header for unknown headers, or all column names for a range without a header.';

const customFunctions = [
  [
    'TIER',
    ['data', 'config', 'as_of', 'columns'],
    'Tier, segment, next action and next contact date for every customer.',
    [DATA, CONFIG, AS_OF, COLUMNS],
    'One row per customer: tier, segment, next action, next contact.',
  ],
  [
    'RFM',
    ['data', 'config', 'as_of', 'columns'],
    'Recency, frequency and monetary scores (1 to 5) and the RFM segment of every customer.',
    [DATA, CONFIG, AS_OF, COLUMNS],
    'One row per customer: R, F, M, segment.',
  ],
  [
    'NEXT_ACTION',
    ['data', 'config', 'as_of', 'columns'],
    'What to do next for every customer, through which channel, by when, and why.',
    [DATA, CONFIG, AS_OF, COLUMNS],
    'One row per customer: next action, channel, due date, reasons.',
  ],
  [
    'CLV',
    ['data', 'as_of', 'columns'],
    'Customer lifetime value over the next 12 months for every customer (BG/NBD + Gamma-Gamma, or a simple model for small shops).',
    [DATA, AS_OF, COLUMNS],
    'One row per customer: the predicted value.',
  ],
  [
    'PALIVE',
    ['data', 'as_of', 'columns'],
    'The probability that each customer is still active (MBG/NBD).',
    [DATA, AS_OF, COLUMNS],
    'One row per customer: a probability from 0 to 1.',
  ],
];

/** In Code.js itself: the menu and the dialogs. */
const menuFunctions = [
  ['onOpen', ['e'], 'Adds the Tierwise menu.'],
  ['showSidebar', [], 'Opens the Tierwise sidebar.'],
  ['showHelp', [], 'Shows the short help.'],
  // Reads the sheet in Server.html and fits in Clv.html: main.ts hands one bundle to the other.
  ['holdoutCheck', ['calibrationEnd', 'holdoutEnd'], 'Sidebar: checks the CLV model on a holdout period.'],
];

/** In Server.html, loaded on first call (Tierwise.server()). */
const serverFunctions = [
  ['insertExample', [], 'Adds a ready example sheet.'],
  ['formatByTier', [], 'Colours the tier column by tier.'],
  ['dueThisWeek', [], 'Lists the customers due this week.'],
  ['pullContacts', [], 'Brings the contact log from Slack into last_contact.'],
  ['sidebarState', [], 'Sidebar: the current configuration and settings.'],
  ['sheetData', [], 'Sidebar: the customer data for the preview and the sync.'],
  ['saveConfig', ['config', 'baseVersion', 'note'], 'Sidebar: saves a configuration version.'],
  ['configHistory', [], 'Sidebar: the configuration versions.'],
  ['rollbackConfig', ['toVersion', 'baseVersion'], 'Sidebar: restores a version as a new one.'],
  ['setDataRange', ['a1'], 'Sidebar: which range holds the customers.'],
  ['refreshConfig', [], 'Sidebar: writes the current version into the config range.'],
  ['restoreLastGood', [], 'Sidebar: undoes a hand edit of the config range.'],
  [
    'syncChunk',
    ['syncId', 'index', 'firstRow', 'header', 'rows'],
    'Sidebar: uploads one chunk of customers.',
  ],
  ['syncCommit', ['syncId', 'chunks', 'asOf'], 'Sidebar: makes an uploaded sync visible.'],
  ['createLinkCode', [], 'Sidebar: a single-use code to link a Slack workspace.'],
];

export function appsScriptStubs() {
  const custom = customFunctions.map(
    ([name, args, summary, params, returns]) =>
      `/**\n * ${summary}\n${params.map((p) => ` * ${p}`).join('\n')}\n * @return ${returns}\n * @customfunction\n */\nfunction ${name}(${args.join(', ')}) {\n  return Tierwise.${name}(${args.join(', ')});\n}\n`,
  );
  // The server functions need no documentation in the file Sheets loads on every call, nor long
  // parameter names. `s_` ends in "_": private, so google.script.run cannot call it.
  const stub =
    (target) =>
    ([name, args]) => {
      const short = args.map((_, i) => String.fromCharCode(97 + i)).join(',');
      return `function ${name}(${short}){return ${target}.${name}(${short})}`;
    };
  const menu = menuFunctions.map(stub('Tierwise'));
  const server = serverFunctions.map(stub('s_()'));
  return `\n${custom.join('\n')}${[...menu, ...server].join('\n')}\nfunction s_(){return Tierwise.server()}\nfunction onInstall(e){onOpen(e)}\n`;
}
