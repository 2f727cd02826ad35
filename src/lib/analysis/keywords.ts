/** Whether a text contains any of the keywords or phrases, as whole words, ignoring case. */
export function matchesKeywords(text: string, keywords: string[]): boolean {
	const t = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
	return keywords.some((k) => {
		const w = k.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
		return w !== '' && t.includes(` ${w} `);
	});
}
