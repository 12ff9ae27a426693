/**
 * The per-file fixture of the emulator's tests: one emulator for the file, back to a fresh install before each
 * test, stopped after the last. `ak` stands for the running emulator (its getters read the live one), so tests
 * written against `Emulator` need no change.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startEmulator, type Emulator } from "./index";
import { RawClient } from "./testing";

export interface EmulatorFixture extends Emulator {
    /** a raw JSON client with the fixture's token */
    readonly api: RawClient;
    /** a raw JSON client without credentials */
    readonly anonymous: RawClient;
}

export function useEmulator(token = "t"): EmulatorFixture {
    let running: Emulator | undefined;
    const current = (): Emulator => {
        if (!running) throw new Error("useEmulator: the emulator starts in beforeAll; use it inside a test or hook");
        return running;
    };
    beforeAll(async () => {
        running = await startEmulator({ token });
    });
    afterAll(() => running?.stop());
    beforeEach(() => running?.reset());
    return {
        token,
        get url() {
            return current().url;
        },
        get log() {
            return current().log;
        },
        get violations() {
            return current().violations;
        },
        clearLog: () => current().clearLog(),
        reset: () => current().reset(),
        checkPassword: (username, password) => current().checkPassword(username, password),
        stop: () => current().stop(),
        api: new RawClient(() => current().url, token),
        anonymous: new RawClient(() => current().url, undefined),
    };
}
