// The browser tests' file server serves the site's files and nothing else.
// Run by tests/accessibility.rs as `node --test tests/browser/serve.test.mjs`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { serve } from './serve.mjs';

/** GET with the path sent exactly as written (no URL normalisation on the client side). */
function get(port, rawPath, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, type: res.headers['content-type'], body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`GET ${rawPath}: timed out`)));
    req.end();
  });
}

test('serves files, index.html for folders with a slash, 404 for everything else', async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'radpress-serve-'));
  const root = path.join(base, 'site');
  await mkdir(path.join(root, 'cases', 'a b'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<p>home</p>');
  await writeFile(path.join(root, 'cases', 'a b', 'index.html'), '<p>case</p>');
  await writeFile(path.join(root, 'site.css'), 'p{}');
  await writeFile(path.join(base, 'secret.txt'), 'outside the site');
  const server = await serve(root);
  const { port, address } = server.address();
  try {
    assert.equal(address, '127.0.0.1');
    assert.ok(port > 0);
    const home = await get(port, '/');
    assert.equal(home.status, 200);
    assert.equal(home.body, '<p>home</p>');
    assert.match(home.type, /^text\/html/);
    const page = await get(port, '/cases/a%20b/?x=1');
    assert.equal(page.status, 200);
    assert.equal(page.body, '<p>case</p>');
    assert.match((await get(port, '/site.css')).type, /^text\/css/);
    assert.equal((await get(port, '/site.css', 'HEAD')).status, 200);
    for (const bad of [
      '/missing/',
      '/cases',
      '/cases/a%20b',
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/cases/..%2f..%2f..%2fsecret.txt',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const res = await get(port, bad);
      assert.equal(res.status, 404, `${bad} should be 404`);
      assert.doesNotMatch(res.body, /outside the site/);
    }
    // A request target without the leading slash: Node's parser refuses it before the server.
    const relative = await get(port, 'secret.txt');
    assert.notEqual(relative.status, 200);
    assert.doesNotMatch(relative.body, /outside the site/);
    assert.equal((await get(port, '/', 'POST')).status, 405);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(base, { recursive: true, force: true });
  }
});
