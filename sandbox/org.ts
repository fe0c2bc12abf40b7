import type { CliIo } from '../cli/io';
import type { Flags } from '../cli/options';
import { createDb } from '../lambda/store/dynamo';
import { OrgStore, type Role } from '../lambda/store/org-store';
import { TierwiseError } from '../shared';

/**
 * tierwise org create ORG "Name" --manager EMAIL  ·  tierwise org add EMAIL --org ORG [--role viewer]
 * tierwise org link-code --org ORG: administration of a deployed table (AWS credentials from the
 * environment as usual; --table and --region, or --endpoint for a local DynamoDB). It lives in sandbox/,
 * not cli/, because it runs the Lambda's OrgStore outside the Lambda, and cli/ imports only shared/.
 */
export async function org([action, ...args]: string[], flags: Flags, io: CliIo): Promise<number> {
  const table = flags.table ?? io.env.TABLE_NAME;
  if (!table)
    throw new TierwiseError('name the table: --table NAME (the TableName output of the stack) or TABLE_NAME');
  const db = createDb({
    region: flags.region ?? io.env.AWS_REGION ?? 'us-east-1',
    endpoint: flags.endpoint,
  });
  const orgs = new OrgStore(db, table);
  try {
    switch (action) {
      case 'create': {
        const [id, name] = args;
        if (!id || !name || !flags.manager)
          throw new TierwiseError('usage: tierwise org create ORG "Name" --manager EMAIL');
        await orgs.createOrg(id, name);
        await orgs.addMember(flags.manager, { org: id, role: 'manager' });
        io.stdout(`created ${id} (${name}) with manager ${flags.manager}\n`);
        return 0;
      }
      case 'add': {
        const [email] = args;
        const role = (flags.role ?? 'viewer') as Role;
        if (!email || !flags.org || !['manager', 'viewer'].includes(role)) {
          throw new TierwiseError('usage: tierwise org add EMAIL --org ORG [--role manager|viewer]');
        }
        if (!(await orgs.meta(flags.org)))
          throw new TierwiseError(`no organisation "${flags.org}"; create it first`);
        await orgs.addMember(email, { org: flags.org, role });
        io.stdout(`${email} is now a ${role} of ${flags.org}\n`);
        return 0;
      }
      case 'link-code': {
        if (!flags.org) throw new TierwiseError('usage: tierwise org link-code --org ORG');
        const { code, expiresAt } = await orgs.createLinkCode(flags.org, 'cli');
        io.stdout(`In Slack, type: /tier link ${code}   (single use, until ${expiresAt})\n`);
        return 0;
      }
      default:
        throw new TierwiseError('org commands: create, add, link-code');
    }
  } finally {
    db.destroy();
  }
}
