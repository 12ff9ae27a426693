// Command pulumi-resource-random is a stand-in for the Pulumi random
// provider plugin (v4.21.2); see testbed/pulumi/providers/README.md.
package main

import (
	"gatehouse.local/testbed/pulumi/providers/internal/randomprovider"
	"gatehouse.local/testbed/pulumi/providers/internal/serve"
)

func main() {
	serve.Main("pulumi-resource-random", randomprovider.New())
}
