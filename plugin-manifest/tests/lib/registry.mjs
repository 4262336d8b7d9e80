// A loopback stand-in for the two services a plugin install talks to, answering only what a real install
// of our release asks for (see ./offline-hosts.mjs for how requests get here):
// - Artifact Hub's package API, GET /api/v1/packages/headlamp/<repo>/<package>[/<version>]: the package
//   as Artifact Hub serves it after indexing our artifacthub-pkg.yml. Artifact Hub copies every
//   annotation of the file into the package's `data` (artifacthub/hub internal/pkg/metadata.go,
//   PreparePackageFromMetadata), which is where the installers read archive-url, checksum and
//   version-compat from.
// - GitHub's release download, GET /<owner>/<repo>/releases/download/<tag>/<file>: like GitHub, a 302 to
//   the asset's storage URL (here on the same loopback server), which then serves the bytes.
import http from 'node:http';

/**
 * Starts the server. `metadata`: the parsed artifacthub-pkg.yml; `repoName`: the Artifact Hub repository
 * name; `tarball`: the bytes the release download serves (`setTarball` swaps them, e.g. to tamper).
 */
export async function startRegistry({ metadata, repoName, tarball }) {
  const archiveUrl = new URL(metadata.annotations['headlamp/plugin/archive-url']);
  const pkgPath = `/artifacthub.io/api/v1/packages/headlamp/${repoName}/${metadata.name}`;
  const releasePath = `/github.com${archiveUrl.pathname}`;
  const assetPath = `/release-assets/${archiveUrl.pathname.split('/').pop()}`;
  const pkg = {
    package_id: '00000000-0000-0000-0000-000000000000',
    name: metadata.name,
    normalized_name: metadata.name,
    display_name: metadata.displayName,
    description: metadata.description,
    version: String(metadata.version),
    available_versions: [{ version: String(metadata.version), ts: Date.parse(metadata.createdAt) / 1000 }],
    data: { ...metadata.annotations },
    repository: { name: repoName, kind: 21, user_alias: 'autoscaling-insights', verified_publisher: false, official: false },
  };
  let bytes = tarball;
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url, 'http://loopback');
    if (req.method !== 'GET') {
      res.writeHead(405).end();
    } else if (url.pathname === pkgPath || url.pathname === `${pkgPath}/${pkg.version}`) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(pkg));
    } else if (url.pathname === releasePath) {
      res.writeHead(302, { location: assetPath }).end();
    } else if (url.pathname === assetPath) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    /** `https://artifacthub.io/packages/headlamp/<repo>/<name>`: what users give the installers. */
    packageUrl: `https://artifacthub.io/packages/headlamp/${repoName}/${metadata.name}`,
    requests,
    setTarball(b) {
      bytes = b;
    },
    close: () => new Promise(resolve => server.close(resolve)),
  };
}
