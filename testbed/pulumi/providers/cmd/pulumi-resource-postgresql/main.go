// Command pulumi-resource-postgresql is a stand-in for the Pulumi
// postgresql provider plugin (v3.18.1); see testbed/pulumi/providers/README.md.
package main

import (
	"gatehouse.local/testbed/pulumi/providers/internal/pgprovider"
	"gatehouse.local/testbed/pulumi/providers/internal/serve"
)

func main() {
	serve.Main("pulumi-resource-postgresql", pgprovider.New())
}
