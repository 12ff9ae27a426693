import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const x = config.require("x");

// A trivial dynamic provider: the resource's id and output are derived from its input.
const echoProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: any) {
        return { id: `echo-${inputs.value}`, outs: { value: inputs.value, echoed: `echo:${inputs.value}` } };
    },
    async diff(_id: string, olds: any, news: any) {
        return { changes: olds.value !== news.value, replaces: olds.value !== news.value ? ["value"] : [] };
    },
    async read(id: string, props: any) {
        return { id, props };
    },
    async delete() {},
};

class Echo extends pulumi.dynamic.Resource {
    public readonly echoed!: pulumi.Output<string>;
    constructor(name: string, value: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions) {
        super(echoProvider, name, { value, echoed: undefined }, opts);
    }
}

const echo = new Echo("echo", x);

export const greeting = `hello ${x}`;
export const secretValue = pulumi.secret(`s3cr3t-${x}`);
export const echoed = echo.echoed;
export const echoId = echo.id;
