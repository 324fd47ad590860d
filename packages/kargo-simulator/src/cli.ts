import { parseArgs } from 'node:util';
import { KargoSimulator } from './KargoSimulator';
import {
  generateLargeProject,
  isLargeProjectFixture,
  LARGE_PROJECT_FIXTURES,
} from './fixtures/largeProject';
import { startKargoSimulator } from './startKargoSimulator';
import { DEFAULT_TOKENS } from './http/auth';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '7008' },
    host: { type: 'string', default: '127.0.0.1' },
    token: { type: 'string' },
    'tick-ms': { type: 'string', default: '500' },
    'publish-every': { type: 'string' },
    fixture: { type: 'string', multiple: true },
    'server-version': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout
    .write(`kargo-simulator: a test double of Kargo's REST API (v1beta1). It is not Kargo.

  --port N             listen port (default 7008)
  --host H             listen address (default 127.0.0.1)
  --token T            bearer token with admin rights (default ${DEFAULT_TOKENS[0].token})
  --tick-ms N          controller interval in ms (default 500)
  --publish-every D    publish a new image version this often, e.g. 3m (default off)
  --fixture NAME       projects to load: kargo-demo, microservices, large (50 stages,
                       2 000 freight), huge (500 stages, 20 000 freight) (repeatable;
                       default kargo-demo and microservices)
  --server-version V   answer as this Kargo release does, e.g. v1.10.3 (default v1.11.2)\n`);
  process.exit(0);
}

const fixtures = values.fixture ?? ['kargo-demo', 'microservices'];
const simulator = new KargoSimulator({
  projects: fixtures.filter(f => !isLargeProjectFixture(f)),
});
for (const fixture of fixtures.filter(isLargeProjectFixture)) {
  generateLargeProject(simulator, {
    name: fixture,
    ...LARGE_PROJECT_FIXTURES[fixture],
  });
}

startKargoSimulator({
  simulator,
  port: Number(values.port),
  host: values.host,
  tickMs: Number(values['tick-ms']),
  publishEvery: values['publish-every'],
  serverVersion: values['server-version'],
  tokens: values.token
    ? [{ token: values.token, role: 'admin', actor: 'admin' }]
    : DEFAULT_TOKENS,
}).then(({ url }) => {
  const projects = simulator.store
    .list('Project')
    .map(p => p.metadata!.name)
    .join(', ');
  process.stdout.write(
    `kargo-simulator (a test double of Kargo's API, not Kargo) on ${url}; projects: ${projects}\n`,
  );
});
