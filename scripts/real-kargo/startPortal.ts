/*
 * `yarn start:real-kargo`: the portal against a real Kargo v1.11.2 started on this machine
 * (etcd, kube-apiserver and Kargo's processes, as the conformance suite starts them), with a
 * `kargo-demo` project made through Kargo's own API. Needs the binaries of
 * scripts/real-kargo/build.sh and KARGO_BIN (see packages/kargo-conformance/README.md).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import {
  Conformance,
  realKargoTarget,
  pipeline,
} from '@kargo-backstage/kargo-conformance';

async function main() {
  const reason = realKargoTarget.unavailable();
  if (reason) {
    console.error(`Cannot start a real Kargo here: ${reason}`);
    process.exit(1);
  }
  console.log('Starting Kargo v1.11.2 (etcd, kube-apiserver, Kargo) …');
  const target = await realKargoTarget.start();
  const kargo = new Conformance(target);
  const project = 'kargo-demo';
  await kargo.createProject({
    name: project,
    annotations: { 'kargo-backstage.io/owners': 'group:default/guests' },
  });
  await kargo.apply(pipeline(project));
  for (let i = 0; i < 3; i++) await kargo.createFreight(project);

  const config = path.join(
    os.tmpdir(),
    `app-config.real-kargo-${process.pid}.yaml`,
  );
  fs.writeFileSync(
    config,
    YAML.stringify({
      kargo: {
        instances: [
          { name: 'local-kargo', url: target.url, token: target.adminToken },
        ],
      },
    }),
  );
  console.log(`Kargo API at ${target.url}; portal config ${config}`);
  const root = path.resolve(__dirname, '../..');
  const portal = spawn(
    'yarn',
    [
      'backstage-cli',
      'repo',
      'start',
      '--config',
      '../../app-config.yaml',
      '--config',
      '../../app-config.demo.yaml',
      '--config',
      config,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const shutdown = async () => {
    portal.kill('SIGTERM');
    await target.stop();
    fs.rmSync(config, { force: true });
    process.exit(0);
  };
  process.once('exit', () => portal.kill('SIGKILL'));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  portal.on('exit', shutdown);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
