import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A git host on 127.0.0.1 for promotions that clone and push: git's own http-backend. */
export interface GitServer {
  /** http://127.0.0.1:port/<name>.git */
  url(name: string): string;
  /** The commit a branch of a repository points at, or undefined. */
  head(name: string, branch: string): string | undefined;
  close(): Promise<void>;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: 'pipe' }).toString().trim();

/** Serves bare repositories (created by `repository`) over smart HTTP, pushes allowed. */
export async function startGitServer(): Promise<
  GitServer & { repository(name: string, files: Record<string, string>): void }
> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-git-'));
  const backend = execFileSync('git', ['--exec-path']).toString().trim();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cgi = spawn(path.join(backend, 'git-http-backend'), [], {
      env: {
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_USER: 'kargo',
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const [key, ...rest] = line.split(':');
        const value = rest.join(':').trim();
        if (key.toLowerCase() === 'status') status = parseInt(value, 10);
        else res.setHeader(key, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => res.end());
    cgi.on('error', () => res.destroy());
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: name => `http://127.0.0.1:${port}/${name}.git`,
    repository(name, files) {
      const bare = path.join(root, `${name}.git`);
      git(root, 'init', '--bare', '--initial-branch=main', bare);
      git(bare, 'config', 'http.receivepack', 'true');
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-work-'));
      git(work, 'init', '--initial-branch=main');
      for (const [file, contents] of Object.entries(files)) {
        fs.writeFileSync(path.join(work, file), contents);
      }
      git(work, 'add', '.');
      git(
        work,
        '-c',
        'user.name=Conformance',
        '-c',
        'user.email=c@example.com',
        'commit',
        '-m',
        'initial',
      );
      git(work, 'push', bare, 'main');
      fs.rmSync(work, { recursive: true, force: true });
    },
    head(name, branch) {
      try {
        return git(
          path.join(root, `${name}.git`),
          'rev-parse',
          `refs/heads/${branch}`,
        );
      } catch {
        return undefined;
      }
    },
    close: async () => {
      await new Promise<void>(resolve => server.close(() => resolve()));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
