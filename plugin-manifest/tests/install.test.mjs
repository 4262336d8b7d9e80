// The release as Headlamp's installers see it, run by `cargo xtask package --check`:
// 1. the tarball is what `headlamp-plugin package` (npm @kinvolk/headlamp-plugin) makes of the same folder;
// 2. artifacthub-pkg.yml carries what Artifact Hub requires and what the installers read;
// 3. Headlamp's installer code (npm @headlamp-k8s/pluginctl, the code the Helm chart's plugin manager runs
//    and the desktop app's installer mirrors) installs it: checksum verified, extracted with strip 1 into
//    <dir>/<name>/, package.json stamped; a tampered tarball and a too-old Headlamp are refused;
// 4. deploy/headlamp's values: the pluginsManager config goes through pluginctl's CLI, the init container's
//    script through a shell (tarball in the ConfigMap; url + sha256, right and wrong); rendered by Headlamp's
//    chart when HEADLAMP_CHART names it;
// 5. each installed folder loads in the Headlamp harness (Headlamp's own frontend code, e2e/harness):
//    listed by /plugins, found compatible, sidebar entry and page rendered.
// No internet: Artifact Hub and GitHub are a loopback server (lib/registry.mjs, lib/offline-hosts.mjs).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import yaml from 'js-yaml';
import semver from 'semver';
import * as tar from 'tar';
import { CLUSTER, openBrowser, startHeadlamp } from '../../e2e/contract/headlamp.mjs';
import { scaledObjects } from '../../e2e/contract/fixtures.mjs';
import { restoreFetch, routeToLoopback } from './lib/offline-hosts.mjs';
import { startRegistry } from './lib/registry.mjs';

const require = createRequire(import.meta.url);
const here = import.meta.dirname;
const repo = path.resolve(here, '..', '..');

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests with \`cargo xtask package --check\``);
  return value;
}

// What `cargo xtask package` produced.
const TARBALL = env('PACKAGE_TARBALL');
const DIST = env('PACKAGE_DIST');
const tarballBytes = fs.readFileSync(TARBALL);
const metadata = yaml.load(fs.readFileSync(env('PACKAGE_METADATA'), 'utf8'));
const distPkg = JSON.parse(fs.readFileSync(path.join(DIST, 'package.json'), 'utf8'));
const NAME = metadata.name;
const VERSION = String(metadata.version);

// Headlamp's code, as published on npm.
const pluginctlDir = path.dirname(require.resolve('@headlamp-k8s/pluginctl'));
const pluginctl = require('@headlamp-k8s/pluginctl');
// validateArchiveURL is not in the package's exports map; the same module instance by its file path.
const { validateArchiveURL } = require(path.join(pluginctlDir, 'src', 'plugin-management.js'));
const PLUGINCTL_CLI = path.join(pluginctlDir, 'bin', 'pluginctl.js');
const PLUGINCTL_VERSION = JSON.parse(fs.readFileSync(path.join(pluginctlDir, 'package.json'), 'utf8')).version;
// The Headlamp frontend code the harness is built from (the root package.json).
const HEADLAMP_PLUGIN_DIR = path.join(repo, 'node_modules', '@kinvolk', 'headlamp-plugin');

// The Artifact Hub repository name the docs tell publishers to register (docs/install.md).
const AH_REPO = 'autoscaling-insights';

// Which @kinvolk/headlamp-plugin each Headlamp release carries in its own tree: kubernetes-sigs/headlamp,
// plugins/headlamp-plugin/package.json at the release tag.
const LIB_OF_HEADLAMP = {
  '0.39.0': '0.13.0',
  '0.40.0': '0.13.0',
  '0.40.1': '0.13.0',
  '0.41.0': '0.13.1',
  '0.42.0': '0.13.1',
  '0.43.0': '0.13.1',
  '0.44.0': '0.14.0',
  '0.45.0': '0.14.0',
};

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-install-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));
const shots = path.join(repo, 'e2e', 'out', 'package');

const sha256 = bytes => crypto.createHash('sha256').update(bytes).digest('hex');

/** Runs a program to its end (never spawnSync: the loopback registry lives in this process). */
function run(program, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (out += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), 120_000);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Entries of a .tar.gz as node-tar (what every installer extracts with) reads them. */
async function entries(file) {
  const list = [];
  await tar.t({ file, onReadEntry: e => list.push({ path: e.path, type: e.type, mode: e.mode, size: e.size }) });
  return list;
}

/** name → bytes of the files in `dir` (flat: a plugin folder has no subfolders). */
function files(dir) {
  return Object.fromEntries(fs.readdirSync(dir).sort().map(f => [f, fs.readFileSync(path.join(dir, f))]));
}

/** The Headlamp releases whose plugin lib has the same major.minor as `lib`. */
function releasesOf(lib) {
  return Object.keys(LIB_OF_HEADLAMP).filter(
    hl => semver.major(LIB_OF_HEADLAMP[hl]) === semver.major(lib) && semver.minor(LIB_OF_HEADLAMP[hl]) === semver.minor(lib)
  );
}

// Installed plugin folders, by how they were installed; each is loaded in Headlamp at the end.
const installed = {};

/** A folder installed from Artifact Hub: our main.js as built, our package.json plus pluginctl's stamp. */
function assertInstalledFromArtifactHub(dir, packageUrl) {
  const got = files(dir);
  assert.deepEqual(Object.keys(got), ['main.js', 'package.json'], `files in ${dir}`);
  assert.ok(got['main.js'].equals(fs.readFileSync(path.join(DIST, 'main.js'))), 'main.js is the built one, byte for byte');
  assert.deepEqual(JSON.parse(got['package.json']), {
    ...distPkg,
    artifacthub: {
      name: NAME,
      title: metadata.displayName,
      url: packageUrl,
      version: VERSION,
      repoName: AH_REPO,
      author: 'autoscaling-insights',
    },
    isManagedByHeadlampPlugin: true,
  });
}

describe('the release artifacts', () => {
  test('the tarball is what `headlamp-plugin package` makes of the same plugin folder', async () => {
    // headlamp-plugin packages <folder>/{package.json,dist/*} as <basename(folder)>/{package.json,*}.
    const src = path.join(work, 'headlamp-plugin', NAME);
    fs.mkdirSync(path.join(src, 'dist'), { recursive: true });
    fs.copyFileSync(path.join(DIST, 'main.js'), path.join(src, 'dist', 'main.js'));
    fs.copyFileSync(path.join(DIST, 'package.json'), path.join(src, 'package.json'));
    const out = path.join(work, 'headlamp-plugin-out');
    const cli = path.join(HEADLAMP_PLUGIN_DIR, 'bin', 'headlamp-plugin.js');
    const r = await run(process.execPath, [cli, 'package', src, out]);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(fs.readdirSync(out), [path.basename(TARBALL)], 'the same file name');
    const theirs = path.join(out, path.basename(TARBALL));
    const shape = list => list.map(e => [e.path, e.type]).sort((a, b) => a[0].localeCompare(b[0]));
    const ours = await entries(TARBALL);
    assert.deepEqual(shape(ours), shape(await entries(theirs)));
    assert.deepEqual(
      ours.map(e => e.path),
      [`${NAME}/`, `${NAME}/main.js`, `${NAME}/package.json`],
      'the folder first, then its files in name order'
    );
    for (const [dir, file] of [['ours', TARBALL], ['theirs', theirs]]) {
      fs.mkdirSync(path.join(work, 'x', dir), { recursive: true });
      await tar.x({ file, cwd: path.join(work, 'x', dir) });
    }
    assert.deepEqual(files(path.join(work, 'x', 'ours', NAME)), files(path.join(work, 'x', 'theirs', NAME)));
  });

  test('artifacthub-pkg.yml: what Artifact Hub requires, pointing at this tarball', () => {
    // Artifact Hub's checks (artifacthub/hub internal/pkg/metadata.go: ValidatePackageMetadata and the
    // annotations required of Headlamp plugins).
    assert.ok(semver.valid(VERSION), `version ${VERSION} is semver`);
    for (const field of ['name', 'displayName', 'createdAt', 'description']) {
      assert.ok(metadata[field], `${field} is set`);
    }
    assert.match(metadata.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/, 'createdAt is RFC 3339');
    const a = metadata.annotations;
    const url = a['headlamp/plugin/archive-url'];
    assert.ok(url && a['headlamp/plugin/archive-checksum'], 'archive-url and archive-checksum');

    // The plugin is one thing under one name and version everywhere.
    assert.equal(NAME, distPkg.name);
    assert.equal(VERSION, distPkg.version);
    assert.equal(path.basename(TARBALL), `${NAME}-${VERSION}.tar.gz`);
    assert.match(url, new RegExp(`^https://github\\.com/[^/]+/[^/]+/releases/download/v${VERSION}/${path.basename(TARBALL)}$`));
    assert.equal(a['headlamp/plugin/archive-checksum'], `SHA256:${sha256(tarballBytes)}`);
    assert.equal(sha256(tarballBytes), env('PACKAGE_SHA256'));
    assert.deepEqual(a['headlamp/plugin/distro-compat'].split(','), ['in-cluster', 'web', 'docker-desktop', 'desktop']);

    // pluginctl's own URL check accepts it. It refuses loopback URLs, which is why these tests route the
    // github.com host to a loopback server instead of publishing a 127.0.0.1 URL.
    assert.equal(validateArchiveURL(url), true, url);
    assert.equal(validateArchiveURL('http://127.0.0.1:8080/x.tar.gz'), false);
  });

  test("package.json passes Headlamp's plugin compatibility check", () => {
    // The range Headlamp's plugin loader requires (fetchAndExecutePlugins in lib/plugin/index.js), read
    // from the code, and the loader's own expression. The browser tests below run the loader itself.
    const loader = fs.readFileSync(path.join(HEADLAMP_PLUGIN_DIR, 'lib', 'plugin', 'index.js'), 'utf8');
    const range = loader.match(/compatibleHeadlampPluginVersion = '([^']*)'/)?.[1];
    assert.ok(range, "Headlamp's loader names its compatible @kinvolk/headlamp-plugin range");
    const declared = distPkg.devDependencies?.['@kinvolk/headlamp-plugin'];
    assert.ok(declared, 'devDependencies["@kinvolk/headlamp-plugin"]');
    assert.ok(semver.satisfies(semver.coerce(declared) || '', range), `${declared} satisfies ${range}`);
  });

  test('version-compat admits exactly the Headlamp releases built on the plugin lib we test against', () => {
    const lib = JSON.parse(fs.readFileSync(path.join(HEADLAMP_PLUGIN_DIR, 'package.json'), 'utf8')).version;
    const declared = distPkg.devDependencies['@kinvolk/headlamp-plugin'];
    assert.ok(semver.satisfies(lib, declared), `the harness's Headlamp code (lib ${lib}) is the declared ${declared}`);
    const compat = metadata.annotations['headlamp/plugin/version-compat'];
    assert.ok(semver.validRange(compat), `${compat} is a semver range`);
    const ours = releasesOf(lib);
    assert.ok(ours.length > 0, `the table knows the Headlamp releases of lib ${lib}: add them`);
    for (const [headlamp, hlLib] of Object.entries(LIB_OF_HEADLAMP)) {
      const want = ours.includes(headlamp);
      assert.equal(
        semver.satisfies(headlamp, compat),
        want,
        `Headlamp ${headlamp} (plugin lib ${hlLib}) ${want ? 'must' : 'must not'} satisfy ${compat}`
      );
    }
  });
});

describe("installed by Headlamp's installer code (npm @headlamp-k8s/pluginctl)", () => {
  let registry;
  const newestHeadlamp = () =>
    semver.rsort(releasesOf(JSON.parse(fs.readFileSync(path.join(HEADLAMP_PLUGIN_DIR, 'package.json'), 'utf8')).version))[0];

  before(async () => {
    registry = await startRegistry({ metadata, repoName: AH_REPO, tarball: tarballBytes });
    routeToLoopback(registry.origin);
  });
  after(async () => {
    restoreFetch();
    await registry?.close();
  });

  test('desktop catalog path: PluginManager.install checks version and checksum, extracts into <dir>/<name>/', async () => {
    const dir = path.join(work, 'desktop', 'plugins');
    // The desktop app passes its own version; the newest Headlamp release on our plugin lib.
    await pluginctl.PluginManager.install(registry.packageUrl, dir, newestHeadlamp());
    assertInstalledFromArtifactHub(path.join(dir, NAME), registry.packageUrl);
    const listed = pluginctl.PluginManager.list(dir);
    assert.deepEqual(
      listed.map(p => [p.pluginName, p.folderName, p.pluginVersion, p.artifacthubVersion]),
      [[NAME, NAME, VERSION, VERSION]]
    );
    const archivePath = new URL(metadata.annotations['headlamp/plugin/archive-url']).pathname;
    assert.ok(registry.requests.includes(`GET /github.com${archivePath}`), `fetched the release URL: ${registry.requests}`);
    installed['desktop catalog (PluginManager.install)'] = path.join(dir, NAME);
  });

  test('refused: a tarball whose SHA-256 is not the published one', async () => {
    const dir = path.join(work, 'tampered', 'plugins');
    const tampered = Buffer.from(tarballBytes);
    tampered[tampered.length - 9] ^= 0xff; // in the gzip trailer's CRC: still a download, wrong bytes
    registry.setTarball(tampered);
    try {
      await assert.rejects(pluginctl.PluginManager.install(registry.packageUrl, dir, newestHeadlamp()), /Checksum mismatch/);
    } finally {
      registry.setTarball(tarballBytes);
    }
    assert.equal(fs.existsSync(path.join(dir, NAME)), false, 'nothing installed');
  });

  test('refused: a Headlamp release older than version-compat', async () => {
    const dir = path.join(work, 'old-headlamp', 'plugins');
    const older = Object.keys(LIB_OF_HEADLAMP).find(hl => !semver.satisfies(hl, metadata.annotations['headlamp/plugin/version-compat']));
    assert.ok(older, 'the table has an older release');
    await assert.rejects(pluginctl.PluginManager.install(registry.packageUrl, dir, older), /not compatible/);
    assert.equal(fs.existsSync(path.join(dir, NAME)), false, 'nothing installed');
  });

  test("in-cluster, Helm pluginsManager: the chart's sidecar command on deploy/headlamp/values.yaml", async () => {
    const values = yaml.load(fs.readFileSync(path.join(repo, 'deploy', 'headlamp', 'values.yaml'), 'utf8'));
    assert.equal(values.pluginsManager?.enabled, true);
    assert.equal(values.config?.watchPlugins, true, 'Headlamp must pick up plugins the sidecar installs after it started');
    assert.equal(String(values.pluginsManager.version), PLUGINCTL_VERSION, 'the values pin the pluginctl release tested here');
    const config = yaml.load(values.pluginsManager.configContent);
    const entry = config.plugins.find(p => p.name === NAME);
    assert.ok(entry, `configContent lists ${NAME} (pluginctl removes folders whose name is not listed)`);
    assert.equal(entry.source, registry.packageUrl);

    const configFile = path.join(work, 'plugin.yml');
    fs.writeFileSync(configFile, values.pluginsManager.configContent);
    const pluginsDir = path.join(work, 'in-cluster', 'plugins');
    // The chart runs `npx --yes @headlamp-k8s/pluginctl@<version> install --config /config/plugin.yml
    // --folderName <pluginsDir> --watch`: the same program and arguments, without --watch (it never exits).
    const r = await run(
      process.execPath,
      ['--import', path.join(here, 'lib', 'offline-hosts.mjs'), PLUGINCTL_CLI, 'install', '--config', configFile, '--folderName', pluginsDir],
      { env: { ...process.env, LOOPBACK_ORIGIN: registry.origin } }
    );
    assert.equal(r.code, 0, r.out);
    assertInstalledFromArtifactHub(path.join(pluginsDir, NAME), registry.packageUrl);
    installed['in-cluster pluginsManager (pluginctl CLI)'] = path.join(pluginsDir, NAME);
  });
});

describe('in-cluster without Artifact Hub: deploy/headlamp/values-initcontainer.yaml', () => {
  const values = yaml.load(fs.readFileSync(path.join(repo, 'deploy', 'headlamp', 'values-initcontainer.yaml'), 'utf8'));
  const init = values.initContainers?.find(c => c.name === 'autoscaling-insights-plugin');
  let registry;
  before(async () => {
    registry = await startRegistry({ metadata, repoName: AH_REPO, tarball: tarballBytes });
  });
  after(() => registry?.close());

  /** Runs the init container's own script and shell flags; only the two folders point here. */
  async function initScript(source) {
    const pluginsDir = fs.mkdtempSync(path.join(work, 'init-plugins-'));
    const [shell, ...flags] = init.command;
    const r = await run(shell, [...flags, init.args[0]], { env: { ...process.env, SOURCE_DIR: source, PLUGINS_DIR: pluginsDir } });
    return { ...r, pluginsDir };
  }

  /** A folder laid out like the ConfigMap `autoscaling-insights-plugin` mounted at SOURCE_DIR. */
  function configMap(keys) {
    const dir = fs.mkdtempSync(path.join(work, 'configmap-'));
    for (const [key, value] of Object.entries(keys)) fs.writeFileSync(path.join(dir, key), value);
    return dir;
  }

  test('wiring: ConfigMap → init container → emptyDir shared with Headlamp at config.pluginsDir', () => {
    assert.ok(init, 'the init container is there');
    const pluginsDir = values.config.pluginsDir;
    const vars = Object.fromEntries(init.env.map(e => [e.name, e.value]));
    const mount = (mounts, name) => mounts.find(m => m.name === name)?.mountPath;
    const volume = name => values.volumes.find(v => v.name === name);
    assert.equal(vars.PLUGINS_DIR, pluginsDir);
    assert.equal(mount(init.volumeMounts, 'plugins'), pluginsDir);
    assert.equal(mount(values.volumeMounts, 'plugins'), pluginsDir, "Headlamp's container mounts the same folder");
    assert.deepEqual(volume('plugins').emptyDir, {});
    assert.equal(vars.SOURCE_DIR, mount(init.volumeMounts, 'plugin-source'));
    assert.equal(volume('plugin-source').configMap?.name, 'autoscaling-insights-plugin');
  });

  test('ConfigMap with the tarball (key plugin.tar.gz): extracted into <pluginsDir>/<name>/', async () => {
    const r = await initScript(configMap({ 'plugin.tar.gz': tarballBytes }));
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(files(path.join(r.pluginsDir, NAME)), files(DIST), 'exactly the built folder');
    assert.deepEqual(fs.readdirSync(r.pluginsDir), [NAME], 'nothing else left in the plugins folder');
    installed['in-cluster init container'] = path.join(r.pluginsDir, NAME);
    if (tarballBytes.length >= 1024 * 1024) {
      // kube-apiserver refuses ConfigMaps over 1 MiB (ValidateConfigMap); the url + sha256 way still works.
      console.log(`note: the tarball (${tarballBytes.length} bytes) is too big for a ConfigMap; docs/install.md says so`);
    }
  });

  test('ConfigMap with url + sha256: downloaded (redirect followed), checked, extracted', async () => {
    const url = `${registry.origin}/github.com${new URL(metadata.annotations['headlamp/plugin/archive-url']).pathname}`;
    const r = await initScript(configMap({ url, sha256: `${sha256(tarballBytes)}\n` }));
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(files(path.join(r.pluginsDir, NAME)), files(DIST), 'exactly the built folder');
    assert.deepEqual(fs.readdirSync(r.pluginsDir), [NAME], 'the download is removed');
  });

  test('refused: a download whose SHA-256 is not the given one, and a ConfigMap with neither way', async () => {
    const url = `${registry.origin}/github.com${new URL(metadata.annotations['headlamp/plugin/archive-url']).pathname}`;
    const wrong = await initScript(configMap({ url, sha256: sha256(Buffer.from('something else')) }));
    assert.notEqual(wrong.code, 0, wrong.out);
    assert.equal(fs.existsSync(path.join(wrong.pluginsDir, NAME)), false, 'nothing installed');
    const empty = await initScript(configMap({}));
    assert.notEqual(empty.code, 0);
    assert.match(empty.out, /needs key plugin\.tar\.gz, or keys url and sha256/);
  });
});

describe("deploy/headlamp values rendered by Headlamp's chart (helm template)", () => {
  const chart = process.env.HEADLAMP_CHART;
  const skip = chart
    ? false
    : "HEADLAMP_CHART is not set: Headlamp's chart is published on its GitHub Pages Helm repository only, which this machine cannot reach; set it to a checkout's charts/headlamp";

  async function render(file) {
    const r = await run(env('HELM'), ['template', 'headlamp', chart, '--namespace', 'headlamp', '-f', path.join(repo, 'deploy', 'headlamp', file)]);
    assert.equal(r.code, 0, r.out);
    const docs = yaml.loadAll(r.out).filter(Boolean);
    const deployment = docs.find(d => d.kind === 'Deployment');
    assert.ok(deployment, 'a Deployment');
    return { docs, spec: deployment.spec.template.spec };
  }

  test('values.yaml: the pluginctl sidecar runs our config; Headlamp watches the plugins folder', { skip }, async () => {
    const values = yaml.load(fs.readFileSync(path.join(repo, 'deploy', 'headlamp', 'values.yaml'), 'utf8'));
    const { docs, spec } = await render('values.yaml');
    const headlamp = spec.containers.find(c => c.name === 'headlamp');
    const sidecar = spec.containers.find(c => c.name === 'headlamp-plugin');
    assert.ok(headlamp && sidecar, `containers: ${spec.containers.map(c => c.name)}`);
    assert.ok(headlamp.args.includes('-watch-plugins-changes'), `${headlamp.args}`);
    assert.ok(headlamp.args.includes('-plugins-dir=/headlamp/plugins'), `${headlamp.args}`);
    const script = [...(sidecar.command ?? []), ...(sidecar.args ?? [])].join(' ');
    assert.match(script, new RegExp(`@headlamp-k8s/pluginctl@${PLUGINCTL_VERSION.replaceAll('.', '\\.')} install --config /config/plugin.yml --folderName /headlamp/plugins`));
    const config = docs.find(d => d.kind === 'ConfigMap' && d.data?.['plugin.yml'] !== undefined);
    assert.equal(config?.data['plugin.yml'], values.pluginsManager.configContent);
  });

  test('values-initcontainer.yaml: our init container, volumes and mount in the Deployment', { skip }, async () => {
    const values = yaml.load(fs.readFileSync(path.join(repo, 'deploy', 'headlamp', 'values-initcontainer.yaml'), 'utf8'));
    const { spec } = await render('values-initcontainer.yaml');
    assert.deepEqual(spec.initContainers, values.initContainers);
    for (const v of values.volumes) assert.deepEqual(spec.volumes.find(x => x.name === v.name), v);
    const headlamp = spec.containers.find(c => c.name === 'headlamp');
    assert.ok(headlamp.volumeMounts.some(m => m.name === 'plugins' && m.mountPath === values.config.pluginsDir));
    assert.ok(headlamp.args.includes(`-plugins-dir=${values.config.pluginsDir}`), `${headlamp.args}`);
  });
});

describe('Headlamp loads every installed folder (e2e harness: Headlamp frontend code, plugins served by the backend)', () => {
  const fixture = scaledObjects();
  const ways = [
    'desktop catalog (PluginManager.install)',
    'in-cluster pluginsManager (pluginctl CLI)',
    'in-cluster init container',
  ];
  for (const way of ways) {
    test(`${way}: listed by /plugins, found compatible, sidebar entry and page render`, async () => {
      const dir = installed[way];
      assert.ok(dir, `installed by the test above (${way})`);
      assert.deepEqual(Object.keys(files(dir)), ['main.js', 'package.json']);
      // The contract's Headlamp serves a plugins folder holding a copy of these two files.
      process.env.CONTRACT_PLUGIN_DIST = dir;
      const headlamp = await startHeadlamp();
      const b = await openBrowser({ api: fixture.api });
      try {
        const list = await (await fetch(`${headlamp.url}/plugins`)).json();
        assert.deepEqual(list.filter(p => p.name === NAME).map(p => p.path), [`plugins/${NAME}`], JSON.stringify(list));
        const served = await (await fetch(`${headlamp.url}/plugins/${NAME}/package.json`)).json();
        assert.deepEqual(served, JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')));

        const { page } = b;
        await page.goto(`${headlamp.url}/c/${CLUSTER}/autoscaling/scaledobjects`);
        // Rows only appear if Headlamp found the plugin compatible and ran it.
        await page.locator('.autoscaling-insights-host .ai-table tbody tr').first().waitFor();
        const sidebar = page.locator('nav, [role="navigation"], .MuiDrawer-root').first();
        await sidebar.getByText('ScaledObjects', { exact: true }).first().waitFor();
        assert.equal(await page.getByText(/Incompatible plugins disabled/).count(), 0);
        fs.mkdirSync(shots, { recursive: true });
        const shot = path.join(shots, `installed-${way.replace(/[^a-z]+/gi, '-').replace(/-$/, '')}.png`);
        await page.screenshot({ path: shot, fullPage: true, animations: 'disabled' });
        console.log(`screenshot: ${shot}`);
        assert.deepEqual(b.errors, []);
      } finally {
        await b.close();
        headlamp.stop();
      }
    });
  }
});
