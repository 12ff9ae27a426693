/**
 * The hidden first line of every preview comment. It names the project and the fully qualified stack
 * (`org/project/stack`), each value quoted, so a comment is found by an exact match of the whole line: `dev` never
 * matches `dev2`, and two projects' `dev` stacks, or two orgs', never share a comment.
 */

const MARKER = /^<!-- gatehouse-preview project="([^"\s]+)" stack="([^"\s]+\/[^"\s]+\/[^"\s]+)" -->$/;

/** Pulumi's names are letters, digits, `-`, `_` and `.` (stack names may also be qualified with `/`). */
const NAME = /^[A-Za-z0-9_.-]+$/;

export function marker(project: string, qualifiedStack: string): string {
    const parts = qualifiedStack.split("/");
    if (!NAME.test(project) || parts.length !== 3 || !parts.every((part) => NAME.test(part))) {
        throw new Error(`cannot mark a comment for project "${project}", stack "${qualifiedStack}": expected a project name and an org/project/stack name`);
    }
    return `<!-- gatehouse-preview project="${project}" stack="${qualifiedStack}" -->`;
}

/** The project and stack a comment's first line names, if it is a preview comment. */
export function parseMarker(body: string): { project: string; stack: string } | undefined {
    const match = MARKER.exec(body.split("\n", 1)[0]!.trim());
    return match ? { project: match[1]!, stack: match[2]! } : undefined;
}
