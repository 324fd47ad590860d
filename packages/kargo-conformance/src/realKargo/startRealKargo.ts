import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import bcrypt from 'bcryptjs';
import { ConformanceTarget } from '../targets/types';
import { Kube } from './kube';

export interface RealKargoBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kargo: string;
  helm: string;
  /** Kargo's Helm chart, from the github.com/akuity/kargo module. */
  chart: string;
}

/** Kinds of the chart that describe workloads; the harness runs those processes itself. */
const WORKLOAD_KINDS = new Set([
  'Deployment',
  'Service',
  'Certificate',
  'Issuer',
  'PodDisruptionBudget',
  'Ingress',
  'ServiceMonitor',
  'CronJob',
]);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Starts a real Kargo on this machine: etcd, kube-apiserver, Kargo's CRDs and RBAC from its
 * chart, and Kargo's API server, controller, management controller and webhooks server as
 * processes. The admin token comes from Kargo's own login route.
 */
export async function startRealKargo(
  bins: RealKargoBinaries,
): Promise<ConformanceTarget> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-kargo-'));
  const file = (name: string) => path.join(dir, name);
  const processes: ChildProcess[] = [];
  const stop = async () => {
    for (const p of processes.reverse()) p.kill('SIGTERM');
    await sleep(500);
    for (const p of processes) if (p.exitCode === null) p.kill('SIGKILL');
    if (!process.env.KARGO_REAL_KEEP) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const run = (name: string, command: string, args: string[], env = {}) => {
    const log = fs.openSync(file(`${name}.log`), 'a');
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH, HOME: dir, ...env },
      stdio: ['ignore', log, log],
    });
    child.on('exit', code => {
      if (code && code !== 143) {
        fs.appendFileSync(file(`${name}.log`), `\nexited with ${code}\n`);
      }
    });
    processes.push(child);
    // A test run that ends without stop() (a crash, a timeout) takes Kargo down with it.
    process.once('exit', () => child.kill('SIGKILL'));
    return child;
  };
  try {
    return await start();
  } catch (error) {
    const logs = fs
      .readdirSync(dir)
      .filter(f => f.endsWith('.log'))
      .map(f => `--- ${f}\n${fs.readFileSync(file(f), 'utf8').slice(-3000)}`)
      .join('\n');
    await stop();
    throw new Error(
      `real Kargo did not start: ${(error as Error).message}\n${logs}`,
    );
  }

  async function start(): Promise<ConformanceTarget> {
    const openssl = (...args: string[]) =>
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-subj',
      '/CN=kargo-conformance-ca',
    );
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'tls.key',
      '-out',
      'tls.csr',
      '-subj',
      '/CN=127.0.0.1',
    );
    fs.writeFileSync(
      file('san.ext'),
      'subjectAltName=IP:127.0.0.1,DNS:localhost\n',
    );
    openssl(
      'x509',
      '-req',
      '-in',
      'tls.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'san.ext',
      '-out',
      'tls.crt',
    );
    openssl('genrsa', '-out', 'sa.key', '2048');
    openssl('rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
    const ca = fs.readFileSync(file('ca.crt'), 'utf8');

    // etcd, then the Kubernetes API server on it.
    const [etcdPort, peerPort, kubePort, apiPort, webhookPort] =
      await Promise.all([
        freePort(),
        freePort(),
        freePort(),
        freePort(),
        freePort(),
      ]);
    run('etcd', bins.etcd, [
      '--data-dir',
      file('etcd'),
      '--listen-client-urls',
      `http://127.0.0.1:${etcdPort}`,
      '--advertise-client-urls',
      `http://127.0.0.1:${etcdPort}`,
      '--listen-peer-urls',
      `http://127.0.0.1:${peerPort}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${peerPort}`,
      '--initial-cluster',
      `default=http://127.0.0.1:${peerPort}`,
      '--unsafe-no-fsync',
    ]);
    const kubeToken = crypto.randomBytes(24).toString('hex');
    fs.writeFileSync(
      file('tokens.csv'),
      `${kubeToken},kargo-conformance,kargo-conformance,"system:masters"\n`,
    );
    run('kube-apiserver', bins.kubeApiserver, [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${kubePort}`,
      `--cert-dir=${file('kube-certs')}`,
      `--tls-cert-file=${file('tls.crt')}`,
      `--tls-private-key-file=${file('tls.key')}`,
      `--client-ca-file=${file('ca.crt')}`,
      `--token-auth-file=${file('tokens.csv')}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${file('sa.pub')}`,
      `--service-account-signing-key-file=${file('sa.key')}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--disable-admission-plugins=ServiceAccount',
      '--enable-priority-and-fairness=false',
    ]);
    const server = `https://127.0.0.1:${kubePort}`;
    const kube = new Kube(server, kubeToken, ca);
    await waitFor(
      'kube-apiserver',
      async () => (await kube.request('GET', '/readyz')).status === 200,
      120_000,
    );
    /** A kubeconfig for this API server acting as `user` with `token`; returns its path. */
    const writeKubeconfig = (user: string, token: string) => {
      const kubeconfig = file(`kubeconfig-${user}.yaml`);
      fs.writeFileSync(
        kubeconfig,
        YAML.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            {
              name: 'local',
              cluster: { server, 'certificate-authority': file('ca.crt') },
            },
          ],
          users: [{ name: user, user: { token } }],
          contexts: [{ name: 'local', context: { cluster: 'local', user } }],
          'current-context': 'local',
        }),
      );
      return kubeconfig;
    };
    // Each Kargo component acts as its chart ServiceAccount, so Kubernetes RBAC and the
    // webhooks' control-plane checks see what they see in a cluster.
    const kubeconfigFor = async (serviceAccount: string) => {
      const answer = await kube.request(
        'POST',
        `/api/v1/namespaces/kargo/serviceaccounts/${serviceAccount}/token`,
        {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: 86_400 },
        },
      );
      if (answer.status !== 201) {
        throw new Error(
          `token for ${serviceAccount}: ${answer.status} ${answer.text}`,
        );
      }
      return writeKubeconfig(serviceAccount, answer.json.status.token);
    };

    // Kubernetes' own controllers that Kargo relies on: the token controller fills API-token
    // Secrets; the namespace and garbage collectors delete what a deleted Project owned.
    const adminKubeconfig = writeKubeconfig('admin', kubeToken);
    run('kube-controller-manager', bins.kubeControllerManager, [
      `--kubeconfig=${adminKubeconfig}`,
      '--controllers=serviceaccount-token,namespace,garbagecollector',
      `--service-account-private-key-file=${file('sa.key')}`,
      `--root-ca-file=${file('ca.crt')}`,
      '--leader-elect=false',
      '--secure-port=0',
    ]);

    // Kargo's chart, rendered by Helm; its workloads are this harness's processes.
    const password = crypto.randomBytes(12).toString('hex');
    const rendered = execFileSync(
      bins.helm,
      [
        'template',
        'kargo',
        bins.chart,
        '--namespace',
        'kargo',
        '--set',
        `api.adminAccount.passwordHash=${bcrypt.hashSync(password, 10)}`,
        '--set',
        `api.adminAccount.tokenSigningKey=${crypto
          .randomBytes(24)
          .toString('hex')}`,
        '--set',
        'api.tls.enabled=false',
        '--set',
        'api.host=127.0.0.1',
        '--set',
        'api.rollouts.integrationEnabled=false',
        '--set',
        'controller.argocd.integrationEnabled=false',
        '--set',
        'controller.rollouts.integrationEnabled=false',
        '--set',
        'externalWebhooksServer.enabled=false',
        '--set',
        'garbageCollector.enabled=false',
      ],
      {
        env: { PATH: process.env.PATH, HOME: dir },
        maxBuffer: 64 * 1024 * 1024,
      },
    ).toString();
    const objects = YAML.parseAllDocuments(rendered)
      .map(d => d.toJS())
      .filter(o => o?.kind && !WORKLOAD_KINDS.has(o.kind));
    fs.writeFileSync(file('chart.yaml'), rendered);
    const envOf = (name: string) => {
      const env: Record<string, string> = {};
      for (const o of objects) {
        if (
          (o.kind === 'ConfigMap' || o.kind === 'Secret') &&
          o.metadata.name === name
        ) {
          Object.assign(env, o.data ?? {}, o.stringData ?? {});
        }
      }
      return env;
    };
    const caBundle = Buffer.from(ca).toString('base64');
    for (const o of objects) {
      if (o.kind.endsWith('WebhookConfiguration')) {
        delete o.metadata.annotations;
        for (const w of o.webhooks ?? []) {
          const hookPath = w.clientConfig.service.path;
          w.clientConfig = {
            url: `https://127.0.0.1:${webhookPort}${hookPath}`,
            caBundle,
          };
        }
      }
    }
    // Namespaces, then CRDs, then the rest; webhooks last, once their server answers.
    const ORDER = ['Namespace', 'CustomResourceDefinition'];
    const order = (o: any) => {
      if (o.kind.endsWith('WebhookConfiguration')) return 3;
      const index = ORDER.indexOf(o.kind);
      return index >= 0 ? index : 2;
    };
    objects.sort((a, b) => order(a) - order(b));
    // Helm expects the release namespace to exist.
    await kube.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kargo' },
    });
    for (const o of objects) {
      if (!o.kind.endsWith('WebhookConfiguration')) await kube.create(o);
    }
    for (const o of objects.filter(
      x => x.kind === 'CustomResourceDefinition',
    )) {
      await waitFor(
        `CRD ${o.metadata.name}`,
        async () => {
          const crd = await kube.request(
            'GET',
            `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${o.metadata.name}`,
          );
          return crd.json?.status?.conditions?.some(
            (c: any) => c.type === 'Established' && c.status === 'True',
          );
        },
        30_000,
      );
    }

    const common = { METRICS_BIND_ADDRESS: '0' };
    // controller-runtime's webhook server reads its certificate from $TMPDIR/k8s-webhook-server.
    const certs = file('tmp/k8s-webhook-server/serving-certs');
    fs.mkdirSync(certs, { recursive: true });
    fs.copyFileSync(file('tls.crt'), path.join(certs, 'tls.crt'));
    fs.copyFileSync(file('tls.key'), path.join(certs, 'tls.key'));
    run('webhooks', bins.kargo, ['kubernetes-webhooks-server'], {
      ...envOf('kargo-webhooks-server'),
      ...common,
      KUBECONFIG: await kubeconfigFor('kargo-webhooks-server'),
      TMPDIR: file('tmp'),
      WEBHOOK_SERVER_PORT: String(webhookPort),
    });
    await waitFor(
      'Kargo webhooks server',
      () => listening(webhookPort),
      60_000,
    );
    for (const o of objects.filter(x =>
      x.kind.endsWith('WebhookConfiguration'),
    )) {
      await kube.create(o);
    }
    run('management-controller', bins.kargo, ['management-controller'], {
      ...envOf('kargo-management-controller'),
      ...common,
      KUBECONFIG: await kubeconfigFor('kargo-management-controller'),
    });
    run('controller', bins.kargo, ['controller'], {
      ...envOf('kargo-controller'),
      ...common,
      KUBECONFIG: await kubeconfigFor('kargo-controller'),
    });
    run('api', bins.kargo, ['api'], {
      ...envOf('kargo-api'),
      ...common,
      KUBECONFIG: await kubeconfigFor('kargo-api'),
      PORT: String(apiPort),
      BIND_ADDRESS: '127.0.0.1',
    });
    const url = `http://127.0.0.1:${apiPort}`;
    await waitFor(
      'Kargo API server',
      async () => {
        try {
          return (await fetch(`${url}/healthz`)).ok;
        } catch {
          return false;
        }
      },
      120_000,
    );
    const login = await fetch(`${url}/v1beta1/login`, {
      method: 'POST',
      headers: { authorization: `Bearer ${password}` },
    });
    if (!login.ok) throw new Error(`admin login answered ${login.status}`);
    const { idToken } = (await login.json()) as { idToken: string };
    return {
      name: 'kargo v1.11.2',
      url,
      adminToken: idToken,
      advance: ms => sleep(ms),
      stop,
      // For tests that look behind the API, e.g. at Kubernetes objects.
      logDir: dir,
    } as ConformanceTarget;
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(
  what: string,
  check: () => Promise<boolean | undefined>,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(300);
  }
}
