import { type LocalDynamo, startLocalDynamo } from '../../sandbox/local-dynamo';

/** The same embedded DynamoDB the sandbox uses, in memory. */
export const startDynalite = (table = 'tierwise-test'): Promise<LocalDynamo> => startLocalDynamo(table);
