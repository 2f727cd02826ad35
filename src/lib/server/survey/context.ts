import { error, redirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import { getConsultationCached, openState, type ConsultationView, type OpenState } from '../consultations/queries';
import { surveyHref } from '../../domain/survey-links';
import { DRAFT_COOKIE, createDraft, deleteDraft, loadDraft, saveDraft, type Draft } from './draft';
import { draftIdleMinutes } from './config';
import type { SurveyShape } from './flow';
import { localise } from '../../i18n/consultation';
import { consultationContent } from '../../domain/consultation-content';
import { m } from '../../paraglide/messages';

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

/**
 * The consultation (404 when unknown or still a draft) in the page's language
 * (its translated words, English where a translation is missing) and whether
 * easy read is on.
 */
export async function consultationFor(event: Event): Promise<{ c: ConsultationView; state: OpenState; easy: boolean }> {
	const slug = event.params.slug ?? '';
	const found = await getConsultationCached(event.locals.db, slug);
	if (!found || found.status === 'draft') error(404, m.not_found_consultation());
	const c = asRespondentsSeeIt(found);
	const lang = event.locals.lang ?? 'en';
	// The privacy notice's, accessibility statement's and results notices' defaults in the page's language.
	const content = lang === 'en' ? c.content : consultationContent(c.contentSource, lang);
	return {
		c: localise({ ...c, content }, found.translations, lang),
		state: openState(c),
		easy: isEasy(event.url)
	};
}

/** The consultation without the questions and groups hidden from new respondents (kept for their answers). */
export function asRespondentsSeeIt(c: ConsultationView): ConsultationView {
	return { ...c, questions: c.questions.filter((q) => !q.hidden), groups: c.groups.filter((g) => !g.hidden) };
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
		// The cookie dies with the draft's idle life; each saved page renews both (saveStep).
		maxAge: draftIdleMinutes() * 60
	});
}

export function clearDraftCookie(cookies: Cookies, url: URL, slug: string): void {
	cookies.delete(DRAFT_COOKIE, {
		path: `/s/${slug}`,
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:'
	});
}

/** The consultation as the flow (flow.ts) sees it. */
export function shapeOf(c: ConsultationView): SurveyShape {
	return { questionKeys: c.questions.map((q) => q.key), groups: c.groups, aboutAsked: c.aboutAsked };
}

/**
 * Saves a page's answer and remembers where the person goes next (where
 * "Continue your answers" returns them), renewing the cookie's idle life.
 */
export async function saveStep(event: Event, c: ConsultationView, draft: Draft, next: string): Promise<void> {
	draft.data.at = next;
	await saveDraft(event.locals.db, draft);
	const token = event.cookies.get(DRAFT_COOKIE);
	if (token) setDraftCookie(event.cookies, event.url, c.slug, token);
}

/** "Start again — clear my answers": the old draft is deleted (not just forgotten) and a new one begins. */
export async function startAfresh(event: Event, c: ConsultationView): Promise<Draft> {
	const existing = await loadDraft(event.locals.db, c.id, event.cookies.get(DRAFT_COOKIE));
	if (existing) await deleteDraft(event.locals.db, existing.id);
	const { token, draft } = await createDraft(event.locals.db, c.id);
	setDraftCookie(event.cookies, event.url, c.slug, token);
	return draft;
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
