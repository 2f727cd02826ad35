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

/** Runs `work` with one environment variable set (or unset, for undefined), then puts it back as it was. */
export async function withEnv<T>(name: string, value: string | undefined, work: () => Promise<T>): Promise<T> {
	const was = process.env[name];
	if (value === undefined) delete process.env[name];
	else process.env[name] = value;
	try {
		return await work();
	} finally {
		if (was === undefined) delete process.env[name];
		else process.env[name] = was;
	}
}
