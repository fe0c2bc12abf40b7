/**
 * Deployment settings from CDK context (`-c stage=prod`, or cdk.json), checked before anything is
 * built. None of them is a secret: secrets live in SSM and are read by the function at run time.
 */

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageConfig {
  stage: Stage;
  /** Concurrent executions kept for (and capped at) Tierwise; null reserves none. */
  reservedConcurrency: number | null;
  /** Alarms notify this address through a new SNS topic. */
  alarmEmail?: string;
  /** ...or an existing SNS topic. */
  alarmTopicArn?: string;
  /** A customer-managed KMS key the SecureString parameters are encrypted with (default: aws/ssm). */
  secretsKeyArn?: string;
  /** Ship the source map (and turn on --enable-source-maps): readable stack traces, slower cold starts. */
  sourceMap: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** Per stage: dev is small and disposable, prod keeps its data. */
const DEFAULT_CONCURRENCY: Record<Stage, number> = { dev: 5, prod: 20 };

export class ConfigError extends Error {}

/** Reads and checks the context; every error names the key, the value and what would be accepted. */
export function stageConfig(context: (key: string) => unknown): StageConfig {
  const text = (key: string): string | undefined => {
    const value = context(key);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const stage = text('stage') ?? 'dev';
  if (!(STAGES as readonly string[]).includes(stage))
    throw new ConfigError(`context stage "${stage}" is not one of ${STAGES.join(', ')}`);

  const concurrency = text('reservedConcurrency');
  let reservedConcurrency: number | null = DEFAULT_CONCURRENCY[stage as Stage];
  if (concurrency === 'none') reservedConcurrency = null;
  else if (concurrency !== undefined) {
    reservedConcurrency = Number(concurrency);
    if (!Number.isInteger(reservedConcurrency) || reservedConcurrency < 1 || reservedConcurrency > 1000)
      throw new ConfigError(
        `context reservedConcurrency "${concurrency}" is not a whole number from 1 to 1000, or "none"`,
      );
  }

  const alarmEmail = text('alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail))
    throw new ConfigError(`context alarmEmail "${alarmEmail}" is not an e-mail address`);
  const alarmTopicArn = text('alarmTopicArn');
  if (alarmTopicArn !== undefined && !/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/.test(alarmTopicArn))
    throw new ConfigError(`context alarmTopicArn "${alarmTopicArn}" is not an SNS topic ARN`);
  const secretsKeyArn = text('secretsKeyArn');
  if (secretsKeyArn !== undefined && !/^arn:aws[\w-]*:kms:[\w-]+:\d{12}:key\/[\w-]+$/.test(secretsKeyArn))
    throw new ConfigError(`context secretsKeyArn "${secretsKeyArn}" is not a KMS key ARN (…:key/<id>)`);

  const sourceMap = text('sourceMap') ?? 'false';
  if (sourceMap !== 'true' && sourceMap !== 'false')
    throw new ConfigError(`context sourceMap "${sourceMap}" is not true or false`);
  const logLevel = text('logLevel') ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    throw new ConfigError(`context logLevel "${logLevel}" is not one of debug, info, warn, error`);

  return {
    stage: stage as Stage,
    reservedConcurrency,
    alarmEmail,
    alarmTopicArn,
    secretsKeyArn,
    sourceMap: sourceMap === 'true',
    logLevel: logLevel as StageConfig['logLevel'],
  };
}
