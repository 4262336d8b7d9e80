// The API server's view of the scenario, read with kubectl (the admin kubeconfig or a user's token), so a
// test compares what the UI shows with what Kubernetes says.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { context } from './context.mjs';

const run = promisify(execFile);

/**
 * Runs kubectl as the admin, or as `user` (a name in context.users) through that user's own kubeconfig
 * context (a bare --token next to the admin's client certificate would still authenticate as admin).
 */
export async function kubectl(args, { user } = {}) {
  const as = user ? ['--context', userContext(user)] : [];
  try {
    const { stdout } = await run(context.kubectl, ['--kubeconfig', context.kubeconfig, ...as, ...args], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    throw new Error(`kubectl ${args.join(' ')} failed: ${err.stderr || err.message}`);
  }
}

function userContext(user) {
  const ctx = context.users[user]?.context;
  if (!ctx) throw new Error(`no kubeconfig context for user ${user} in the run's context`);
  return ctx;
}

/** The items of `kubectl get <resource> -A -o json` (or in one namespace), parsed. */
export async function list(resource, { namespace, user } = {}) {
  const scope = namespace ? ['-n', namespace] : ['-A'];
  const out = await kubectl(['get', resource, ...scope, '-o', 'json'], { user });
  return JSON.parse(out).items;
}

/** One object as JSON. */
export async function get(resource, name, { namespace } = {}) {
  const scope = namespace ? ['-n', namespace] : [];
  return JSON.parse(await kubectl(['get', resource, name, ...scope, '-o', 'json']));
}

/** `kubectl auth can-i` as a boolean (as `user`, see kubectl). */
export async function canI(verb, resource, { namespace, user } = {}) {
  const scope = namespace ? ['-n', namespace] : ['-A'];
  const as = user ? ['--context', userContext(user)] : [];
  const argv = ['--kubeconfig', context.kubeconfig, ...as, 'auth', 'can-i', verb, resource, ...scope];
  try {
    const { stdout } = await run(context.kubectl, argv);
    return stdout.trim() === 'yes';
  } catch (err) {
    // can-i answers "no" with exit status 1.
    if (err.code === 1 && String(err.stdout).trim().startsWith('no')) return false;
    throw new Error(`kubectl ${argv.join(' ')} failed: ${err.stderr || err.message}`);
  }
}

/** Runs an argv (e.g. stop or start of a component, from the context file) and waits for it to exit. */
export async function runArgv(argv) {
  const [cmd, ...args] = argv;
  await run(cmd, args, { maxBuffer: 16 * 1024 * 1024 });
}
