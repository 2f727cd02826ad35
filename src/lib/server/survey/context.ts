import { error, redirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import { getConsultation, openState, type ConsultationView, type OpenState } from '../consultations/queries';
import { surveyHref } from '../../components/survey/links';
import { DRAFT_COOKIE, createDraft, loadDraft, type Draft } from './draft';
import { DRAFT_COOKIE_DAYS } from './config';

export { surveyHref };

export interface SurveyContext {
	c: ConsultationView;
	state: OpenState;
	easy: boolean;
	/** The respondent came from "Check your answers" via a Change link. */
	change: boolean;
	draft: Draft | null;
}

type Event = Pick<RequestEvent, 'locals' | 'params' | 'url' | 'cookies'>;

export function isEasy(url: URL): boolean {
	return url.searchParams.get('easy') === '1';
}

/** The consultation (404 when unknown or still a draft) and whether easy read is on. */
export async function consultationFor(event: Event): Promise<{ c: ConsultationView; state: OpenState; easy: boolean }> {
	const slug = event.params.slug ?? '';
	const c = await getConsultation(event.locals.db, slug);
	if (!c || c.status === 'draft') error(404, 'We could not find that consultation.');
	return { c, state: openState(c), easy: isEasy(event.url) };
}

/**
 * Everything a page after the start page needs. A closed consultation, or a
 * visit without a live draft, goes back to the start page (which says why).
 */
export async function surveyStep(event: Event): Promise<SurveyContext & { draft: Draft }> {
	const { c, state, easy } = await consultationFor(event);
	if (state !== 'open') redirect(303, surveyHref(c.slug, '', easy));
	const draft = await loadDraft(event.locals.db, c.id, event.cookies.get(DRAFT_COOKIE));
	if (!draft) redirect(303, surveyHref(c.slug, '', easy, { expired: '1' }));
	return { c, state, easy, change: event.url.searchParams.get('change') === '1', draft };
}

export function setDraftCookie(cookies: Cookies, url: URL, slug: string, token: string): void {
	cookies.set(DRAFT_COOKIE, token, {
		path: `/s/${slug}`,
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: DRAFT_COOKIE_DAYS * 24 * 3600
	});
}

export function clearDraftCookie(cookies: Cookies, url: URL, slug: string): void {
	cookies.delete(DRAFT_COOKIE, { path: `/s/${slug}`, httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
}

/** Reuses the draft in the cookie or starts a new one. */
export async function startOrResume(event: Event, c: ConsultationView): Promise<Draft> {
	const existing = await loadDraft(event.locals.db, c.id, event.cookies.get(DRAFT_COOKIE));
	if (existing) return existing;
	const { token, draft } = await createDraft(event.locals.db, c.id);
	setDraftCookie(event.cookies, event.url, c.slug, token);
	return draft;
}

/** "Answering as a parent or carer" headings for each chosen group. */
export function groupLabel(c: ConsultationView, code: string, easy: boolean): string {
	const g = c.groups.find((x) => x.code === code);
	if (!g) return code;
	return easy ? (g.easyReadLabel ?? g.label) : g.label;
}
