/**
 * `text` with every value of `secrets` replaced by `[secret]`: the last step before a message that may quote one (a
 * driver's error, an API's answer, a command's output) is thrown, printed or written. Values shorter than
 * `minLength` are left alone: the audit's report passes 8, so that a short value cannot blank out ordinary words.
 */
export function scrub(text: string, secrets: Iterable<string>, minLength = 1): string {
    let out = text;
    for (const secret of secrets) if (secret.length >= minLength) out = out.split(secret).join("[secret]");
    return out;
}
