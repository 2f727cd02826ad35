/**
 * A describe block's environment variables: `set()` puts `env` in place (in its beforeAll), `restore()` puts those
 * variables and the ones named in `restore` (which the tests set themselves) back as they were when this was called.
 */
export function suiteEnv(env: Record<string, string>, restore: string[] = []) {
	const saved = new Map([...Object.keys(env), ...restore].map((k) => [k, process.env[k]]));
	return {
		set: () => void Object.assign(process.env, env),
		restore: () => {
			for (const [k, v] of saved)
				if (v === undefined) delete process.env[k];
				else process.env[k] = v;
		}
	};
}
