import https from 'node:https';

/** Just enough of a Kubernetes client to install Kargo: create objects and read them back. */
export class Kube {
  constructor(
    private readonly server: string,
    private readonly token: string,
    private readonly ca: string,
  ) {}

  request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: any; text: string }> {
    const url = new URL(path, this.server);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          ca: this.ca,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
          timeout: 15_000,
        },
        res => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', chunk => (text += chunk));
          res.on('end', () => {
            let json: any;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, json, text });
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${path} timed out`)),
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Creates an object; one that already exists is left as it is. */
  async create(object: any): Promise<void> {
    const answer = await this.request('POST', collectionPath(object), object);
    if (answer.status >= 300 && answer.status !== 409) {
      throw new Error(
        `creating ${object.kind} ${object.metadata?.name}: ${answer.status} ${answer.text}`,
      );
    }
  }
}

const CORE = new Set([
  'Namespace',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'Service',
]);
const GROUPS: Record<string, string> = {
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  MutatingWebhookConfiguration: 'admissionregistration.k8s.io/v1',
  ValidatingWebhookConfiguration: 'admissionregistration.k8s.io/v1',
};
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ClusterConfig',
  'ClusterPromotionTask',
  'Project',
]);

/** The REST collection of an object, e.g. /apis/rbac.authorization.k8s.io/v1/namespaces/x/roles. */
export function collectionPath(object: any): string {
  const kind: string = object.kind;
  const plural = `${kind.toLowerCase()}${kind.endsWith('s') ? 'es' : 's'}`;
  const base = CORE.has(kind)
    ? '/api/v1'
    : `/apis/${GROUPS[kind] ?? object.apiVersion}`;
  const namespace = CLUSTER_SCOPED.has(kind)
    ? ''
    : `/namespaces/${object.metadata?.namespace ?? 'default'}`;
  return `${base}${namespace}/${plural}`;
}
