// The API server's view of the scenario, read with kubectl (the admin kubeconfig or a user's token), so a
// test compares what the UI shows with what Kubernetes says.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { context } from './context.mjs';

const run = promisify(execFile);

/** Runs kubectl with the admin kubeconfig (or `token` as a bearer token) and returns stdout. */
export async function kubectl(args, { token } = {}) {
  const auth = token ? [`--token=${token}`] : [];
  try {
    const { stdout } = await run(context.kubectl, ['--kubeconfig', context.kubeconfig, ...auth, ...args], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    throw new Error(`kubectl ${args.join(' ')} failed: ${err.stderr || err.message}`);
  }
}

/** The items of `kubectl get <resource> -A -o json` (or in one namespace), parsed. */
export async function list(resource, { namespace, token } = {}) {
  const scope = namespace ? ['-n', namespace] : ['-A'];
  const out = await kubectl(['get', resource, ...scope, '-o', 'json'], { token });
  return JSON.parse(out).items;
}

/** One object as JSON. */
export async function get(resource, name, { namespace } = {}) {
  const scope = namespace ? ['-n', namespace] : [];
  return JSON.parse(await kubectl(['get', resource, name, ...scope, '-o', 'json']));
}

/** `kubectl auth can-i` as a boolean (for a user's token). */
export async function canI(verb, resource, { namespace, token } = {}) {
  const scope = namespace ? ['-n', namespace] : ['-A'];
  try {
    const out = await kubectl(['auth', 'can-i', verb, resource, ...scope], { token });
    return out.trim() === 'yes';
  } catch (err) {
    if (/\bno\b/.test(String(err.message))) return false;
    throw err;
  }
}

/** Runs an argv (e.g. stop or start of a component, from the context file) and waits for it to exit. */
export async function runArgv(argv) {
  const [cmd, ...args] = argv;
  await run(cmd, args, { maxBuffer: 16 * 1024 * 1024 });
}
