/**
 * The tierwise command line: an adapter that reads files, runs the core and prints. Exit status 0 when
 * all went well, 2 when some rows were rejected (the rest were used), 1 on an error. `run` is the
 * whole CLI without the process; cli/bin.ts is the executable around it.
 */

import { TierwiseError } from '../shared';
import type { CliIo } from './io';
import { parseFlags } from './options';

const HELP = `tierwise: grade customers, explain the grade, and say what to do next.

  tierwise summarize FILE --as-of DATE [--unit day|week] [--json|--csv]
  tierwise score FILE --as-of DATE [--config CONFIG.json | --preset NAME] [--clv] [--json|--csv]
  tierwise check-config CONFIG.json [--json]
  tierwise presets [NAME] [--json]
  tierwise fit FILE --as-of DATE [--unit week|day] --model mbgnbd|bgnbd|pareto-nbd|gamma-gamma [--json]
  tierwise predict FILE --as-of DATE [--unit week|day] --horizon N [--clv-months 12]
                   [--discount-monthly 0.01] [--margin 1] [--model mbgnbd|bgnbd|pareto-nbd] [--json|--csv]
  tierwise validate FILE --calibration-end DATE --holdout-end DATE [--model mbgnbd|bgnbd|pareto-nbd]
                   [--unit week|day] [--svg CHART.svg] [--json]   fit on the calibration period,
                   compare predicted with actual repeat purchases in the holdout
  tierwise demo                      score the example data and print the tier summary
  tierwise sandbox [--memory] [--port 8787]   the whole system on this machine (npm start)
  tierwise slack "/tier acme"        send a signed slash command to the sandbox, print the reply
  tierwise token [EMAIL]             an ID token the sandbox's config API accepts
  tierwise org create ORG "Name" --manager EMAIL --table T [--region R]
  tierwise org add EMAIL --org ORG [--role manager|viewer] --table T
  tierwise org link-code --org ORG --table T  a single-use code for /tier link

FILE is a CSV with a header row: a transaction log (customer_id,date,amount; optional name, owner,
margin or cost) or a customer table (customer_id, last_purchase or recency_days, orders, total_spend,
and any numeric columns a model uses). Map other header names with --id, --date, --amount or
--column field=Header. DATE is YYYY-MM-DD or "today".
`;

type Flags = ReturnType<typeof parseFlags>['values'];
type Command = (positionals: string[], flags: Flags, io: CliIo) => number | Promise<number>;
type FileCommand = (file: string, flags: Flags, io: CliIo) => number;

const needsFile =
  (load: () => Promise<FileCommand>): Command =>
  async ([file], flags, io) => {
    if (!file)
      throw new TierwiseError(
        'name the input file, e.g. tierwise score examples/transactions.csv --as-of 2024-06-30',
      );
    return (await load())(file, flags, io);
  };

/**
 * Each command's module is imported only when it runs: the sandbox and `org` commands pull in
 * dynalite, the AWS SDK and the Lambda code (about 0.3 s to load), which `score` never needs.
 * They live in sandbox/, the one place that may combine adapters; cli/ itself imports only shared/
 * (see docs/ARCHITECTURE.md, the import rule).
 */
const COMMANDS: Record<string, Command> = {
  summarize: needsFile(async () => (await import('./commands/summarize')).summarize),
  score: needsFile(async () => (await import('./commands/score')).score),
  'check-config': needsFile(async () => (await import('./commands/config')).checkConfigFile),
  fit: needsFile(async () => (await import('./commands/clv')).fit),
  predict: needsFile(async () => (await import('./commands/clv')).predict),
  validate: needsFile(async () => (await import('./commands/validate')).validate),
  presets: async ([name], flags, io) => (await import('./commands/config')).presets(name, flags, io),
  demo: async (_, flags, io) => (await import('./commands/demo')).demo(flags, io),
  sandbox: async (_, flags, io) => (await import('../sandbox/commands')).sandbox(flags, io),
  slack: async (args, flags, io) => (await import('../sandbox/commands')).slack(args, flags, io),
  token: async (args, _, io) => (await import('../sandbox/commands')).token(args, io),
  org: async (args, flags, io) => (await import('../sandbox/org')).org(args, flags, io),
};

/**
 * Runs one command line (the arguments after `tierwise`) and returns the exit status; the binary
 * (cli/bin.ts) hands it the process's streams, the tests strings. A TierwiseError is the user's
 * mistake: its message goes to stderr and the status is 1. Anything else is a bug and is thrown.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values: flags, positionals } = parseFlags(argv);
    const [name, ...rest] = positionals;
    if (!name || flags.help || name === 'help') {
      io.stdout(HELP);
      return name || flags.help ? 0 : 1;
    }
    const command = COMMANDS[name];
    if (!command)
      throw new TierwiseError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
    return await command(rest, flags, io);
  } catch (error) {
    if (!(error instanceof TierwiseError)) throw error;
    io.stderr(`tierwise: ${error.message}\n`);
    return 1;
  }
}
