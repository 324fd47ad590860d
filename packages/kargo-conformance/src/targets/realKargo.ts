import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConformanceTarget, TargetFactory } from './types';
import { startRealKargo } from '../realKargo/startRealKargo';

/** The Kargo release the real target runs and the simulator mirrors. */
export const KARGO_VERSION = 'v1.11.2';

/** Where the control plane build script puts its binaries (outside git). */
export function cacheDir(): string {
  return (
    process.env.KARGO_REAL_CACHE ??
    path.join(os.homedir(), '.cache', 'kargo-backstage', 'real-kargo')
  );
}

export function binaries() {
  const bin = path.join(cacheDir(), 'bin');
  return {
    etcd: path.join(bin, 'etcd-v3.6.5'),
    kubeApiserver: path.join(bin, 'kube-apiserver-v1.34.3'),
    kubeControllerManager: path.join(bin, 'kube-controller-manager-v1.34.3'),
    helm: path.join(bin, 'helm-v3.19.5'),
    kargo: process.env.KARGO_BIN ?? path.join(bin, `kargo-${KARGO_VERSION}`),
    chart: path.join(cacheDir(), `chart-${KARGO_VERSION}`),
  };
}

export const realKargoTarget: TargetFactory = {
  name: `kargo ${KARGO_VERSION}`,
  unavailable() {
    if (process.env.KARGO_CONFORMANCE_REAL === 'off') {
      return (
        process.env.KARGO_CONFORMANCE_REAL_REASON ??
        'KARGO_CONFORMANCE_REAL=off'
      );
    }
    const missing = Object.entries(binaries())
      .filter(([, file]) => !fs.existsSync(file))
      .map(([name, file]) => `${name} (${file})`);
    if (missing.length) {
      return `no ${missing.join(
        ', ',
      )}; see packages/kargo-conformance/README.md`;
    }
    return undefined;
  },
  async start(): Promise<ConformanceTarget> {
    return startRealKargo(binaries());
  },
};
