import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/** The smallest provider the engine accepts: what a dynamic resource costs before it does any work of its own. */
const provider: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        return { id: `floor-${String(inputs.name)}`, outs: inputs };
    },
};

class Floor extends pulumi.dynamic.Resource {
    constructor(name: string) {
        super(provider, name, { name }, {}, "bench", "Floor");
    }
}

new Floor("floor");
const password = new random.RandomPassword("floor-password", { length: 32, special: false });
export const passwordLength = password.length;
