/**
 * Fitting a comment under a size limit: the head (marker, title, failure, warnings, summary) always stays; the
 * sections' briefs come next in order, then their details in order; what does not fit is left out from the end and
 * counted, so the footer can say what is missing.
 */

export interface Section {
    /** What a reviewer must see: the resource, its action, the changes in words. */
    readonly brief: string;
    /** What may go first: the folded property diff. */
    readonly detail?: string;
    /** How the footer counts this section when it is left out, e.g. `Authentik user to update`. */
    readonly label: string;
}

export interface Omitted {
    /** Sections shown without their detail. */
    readonly details: number;
    /** Sections left out entirely, counted by label, in order of first appearance. */
    readonly sections: ReadonlyMap<string, number>;
}

export interface Fitted {
    readonly body: string;
    readonly omitted: Omitted;
}

const SEPARATOR = "\n\n";

/**
 * The sections that fit in `budget` characters: all briefs that fit (in order, stopping at the first that does not),
 * then the details of those in order while they fit.
 */
export function fitSections(sections: readonly Section[], budget: number): Fitted {
    let used = 0;
    let shown = 0;
    for (const section of sections) {
        const cost = section.brief.length + SEPARATOR.length;
        if (used + cost > budget) break;
        used += cost;
        shown++;
    }
    const withDetail = new Array<boolean>(shown).fill(false);
    for (let i = 0; i < shown; i++) {
        const detail = sections[i]!.detail;
        if (detail === undefined) continue;
        const cost = detail.length + SEPARATOR.length;
        if (used + cost > budget) break;
        used += cost;
        withDetail[i] = true;
    }
    const parts: string[] = [];
    for (let i = 0; i < shown; i++) {
        parts.push(sections[i]!.brief);
        if (withDetail[i]) parts.push(sections[i]!.detail!);
    }
    const left = new Map<string, number>();
    for (const section of sections.slice(shown)) left.set(section.label, (left.get(section.label) ?? 0) + 1);
    const details = withDetail.filter((has, i) => !has && sections[i]!.detail !== undefined).length;
    return { body: parts.join(SEPARATOR), omitted: { details, sections: left } };
}

export function nothingOmitted(omitted: Omitted): boolean {
    return omitted.details === 0 && omitted.sections.size === 0;
}

/**
 * The whole comment: head, then as many sections as fit, then the footer for what was left out. The footer is
 * measured, not guessed: if it pushes the total over, the budget shrinks by the overshoot and the sections are fitted
 * again. The head is never cut; the caller keeps it small (warnings are grouped, errors capped).
 */
export function assemble(head: string, sections: readonly Section[], footer: (omitted: Omitted) => string, max: number): { text: string; omitted: Omitted } {
    let budget = max - head.length - SEPARATOR.length * 2;
    for (let attempt = 0; attempt < 8; attempt++) {
        const fitted = fitSections(sections, Math.max(0, budget));
        const text = [head, fitted.body, footer(fitted.omitted)].filter((part) => part !== "").join(SEPARATOR);
        if (text.length <= max || budget <= 0) return { text, omitted: fitted.omitted };
        budget -= text.length - max;
    }
    const fitted = fitSections(sections, 0);
    return { text: [head, footer(fitted.omitted)].join(SEPARATOR), omitted: fitted.omitted };
}
