/**
 * Line numbers for JSON paths, so that a codebook problem can be reported as FILE:LINE.
 * A small recursive-descent scan of (already valid) JSON text recording where each value starts.
 */
export function jsonPositions(text: string): Map<string, number> {
	const pos = new Map<string, number>();
	let i = 0;
	const ws = () => {
		while (i < text.length && /\s/.test(text[i])) i++;
	};
	const str = (): string => {
		const start = i;
		i++;
		while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
		i++;
		return JSON.parse(text.slice(start, i)) as string;
	};
	const value = (path: string): void => {
		ws();
		pos.set(path, i);
		const c = text[i];
		if (c === '{') {
			i++;
			ws();
			if (text[i] === '}') return void i++;
			for (;;) {
				ws();
				const keyAt = i;
				const key = str();
				const child = path ? `${path}.${key}` : key;
				ws();
				i++; // ':'
				value(child);
				if (!pos.has(child + '#key')) pos.set(child + '#key', keyAt);
				ws();
				if (text[i] === ',') i++;
				else return void i++;
			}
		} else if (c === '[') {
			i++;
			ws();
			if (text[i] === ']') return void i++;
			for (let k = 0; ; k++) {
				value(`${path}[${k}]`);
				ws();
				if (text[i] === ',') i++;
				else return void i++;
			}
		} else if (c === '"') str();
		else while (i < text.length && /[^,\]}\s]/.test(text[i])) i++;
	};
	try {
		value('');
	} catch {
		/* positions found so far are still useful */
	}
	return pos;
}

/** 1-based line of the value at `path` (e.g. `themes[3].id`), or of its nearest existing parent. */
export function jsonLineOf(text: string, path: string): number {
	const pos = jsonPositions(text);
	let p = path;
	for (;;) {
		const at = pos.get(p + '#key') ?? pos.get(p);
		if (at !== undefined) return text.slice(0, at).split('\n').length;
		const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
		if (cut <= 0) return 1;
		p = p.slice(0, cut);
	}
}

/**
 * Offset of the first JSON syntax error in `text`, or −1 when it is valid JSON. (Node's
 * JSON.parse messages do not always say where the problem is.)
 */
export function jsonErrorOffset(text: string): number {
	let i = 0;
	const fail = (at: number) => {
		throw at;
	};
	const ws = () => {
		while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
	};
	const lit = (word: string) => (text.startsWith(word, i) ? (i += word.length) : fail(i));
	const str = () => {
		i++;
		while (i < text.length && text[i] !== '"') {
			if (text.charCodeAt(i) < 0x20) fail(i);
			i += text[i] === '\\' ? 2 : 1;
		}
		if (i >= text.length) fail(i);
		i++;
	};
	const value = (): void => {
		ws();
		const c = text[i];
		if (c === '{') {
			i++;
			ws();
			if (text[i] === '}') return void i++;
			for (;;) {
				ws();
				if (text[i] !== '"') fail(i);
				str();
				ws();
				if (text[i] !== ':') fail(i);
				i++;
				value();
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === '}') return void i++;
				else fail(i);
			}
		} else if (c === '[') {
			i++;
			ws();
			if (text[i] === ']') return void i++;
			for (;;) {
				value();
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === ']') return void i++;
				else fail(i);
			}
		} else if (c === '"') str();
		else if (c === 't') lit('true');
		else if (c === 'f') lit('false');
		else if (c === 'n') lit('null');
		else {
			const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
			if (!m) fail(i);
			i += m![0].length;
		}
	};
	try {
		value();
		ws();
		return i < text.length ? i : -1;
	} catch (at) {
		return typeof at === 'number' ? at : 0;
	}
}
