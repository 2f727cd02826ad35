/**
 * Where things are in JSON text, so that a codebook problem can be reported as FILE:LINE: the positions come
 * from jsonc-parser's syntax tree and error offsets (strict JSON: no comments, no trailing commas).
 */
import { findNodeAtLocation, parse, parseTree, type ParseError, type Segment } from 'jsonc-parser';

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** `themes[3].id` -> ['themes', 3, 'id'] */
function segments(path: string): Segment[] {
	return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

/** 1-based line of the value at `path` (its key, inside an object), or of its nearest existing parent. */
export function jsonLineOf(text: string, path: string): number {
	const root = parseTree(text, [], STRICT);
	if (!root) return 1;
	const at = segments(path);
	for (let n = at.length; n > 0; n--) {
		const node = findNodeAtLocation(root, at.slice(0, n));
		if (node) {
			const offset = node.parent?.type === 'property' ? node.parent.offset : node.offset;
			return text.slice(0, offset).split('\n').length;
		}
	}
	return 1;
}

/** Offset of the first JSON syntax error in `text`, or −1 when it is valid JSON. */
export function jsonErrorOffset(text: string): number {
	const errors: ParseError[] = [];
	parse(text, errors, STRICT);
	return errors.length ? errors[0].offset : -1;
}
