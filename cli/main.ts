/**
 * The tierwise command line: an adapter that reads files, runs the core and prints. Exit status 0 when
 * all went well, 2 when some rows were rejected (the rest were used), 1 on an error.
 */

import { TierwiseError } from '../shared';
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

type Command = (
  positionals: string[],
  flags: ReturnType<typeof parseFlags>['values'],
) => number | Promise<number>;

type FileCommand = (file: string, flags: ReturnType<typeof parseFlags>['values']) => number;

const needsFile =
  (load: () => Promise<FileCommand>): Command =>
  async ([file], flags) => {
    if (!file)
      throw new TierwiseError(
        'name the input file, e.g. tierwise score examples/transactions.csv --as-of 2024-06-30',
      );
    return (await load())(file, flags);
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
  presets: async ([name], flags) => (await import('./commands/config')).presets(name, flags),
  demo: async (_, flags) => (await import('./commands/demo')).demo(flags),
  sandbox: async (_, flags) => (await import('../sandbox/commands')).sandbox(flags),
  slack: async (args, flags) => (await import('../sandbox/commands')).slack(args, flags),
  token: async (args) => (await import('../sandbox/commands')).token(args),
  org: async (args, flags) => (await import('../sandbox/org')).org(args, flags),
};

async function main(argv: string[]): Promise<number> {
  const { values: flags, positionals } = parseFlags(argv);
  const [name, ...rest] = positionals;
  if (!name || flags.help || name === 'help') {
    process.stdout.write(HELP);
    return name || flags.help ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command)
    throw new TierwiseError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
  return command(rest, flags);
}

// Output piped into `head` closes early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    if (error instanceof TierwiseError) {
      process.stderr.write(`tierwise: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      throw error;
    }
  },
);
