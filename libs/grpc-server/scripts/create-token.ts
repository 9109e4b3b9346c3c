// npm run token -- --name adder --roles read
// Prints a new bearer token once (keep it; it is stored nowhere) and the line
// to add to AUTH_TOKENS_FILE (only its SHA-256).
import { parseArgs } from 'node:util';
import { newToken } from '../src/security/new-token';
import type { Role } from '../src/security/tokens-file';

const { values } = parseArgs({ options: { name: { type: 'string' }, roles: { type: 'string' }, help: { type: 'boolean' } } });
if (values.help || !values.name || !values.roles) {
  console.error('usage: npm run token -- --name <client name> --roles <append,read,admin>');
  process.exit(values.help ? 0 : 2);
}
try {
  const { token, line } = newToken(values.name, values.roles.split(',').map((role) => role.trim() as Role));
  console.log(`token (shown once; give it to the client as EVENTLOG_TOKEN or EVENTLOG_TOKEN_FILE):\n${token}\n`);
  console.log(`line for AUTH_TOKENS_FILE:\n${line}`);
} catch (error: unknown) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
