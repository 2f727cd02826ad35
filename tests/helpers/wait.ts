/**
 * Waits for a condition (polling it), never for a fixed time: resolves as soon as
 * `condition` returns true, and fails loudly naming `what` if it is still false
 * after `timeoutMs`.
 */
export async function until(
	condition: () => boolean | Promise<boolean>,
	what: string,
	timeoutMs = 30_000,
	intervalMs = 25
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting until ${what}`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}
