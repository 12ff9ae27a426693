// Command pulumi-language-nodejs is Gatehouse's own minimal Node.js language host for the
// Pulumi engine.
//
// Why it exists: the upstream host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), which the module proxy
// available to us refuses at every version we tried (see testbed/pulumi/README.md). Everything the
// host has to do for `pulumi up/preview/refresh/destroy` is small: answer a handful of gRPC
// calls and start `node @pulumi/pulumi/cmd/run` with the right flags and environment. The
// @pulumi/pulumi npm package does the real work, so this host only needs
// github.com/pulumi/pulumi/sdk/v3, which the proxy does serve.
//
// Protocol with the engine (same as every Pulumi plugin): the engine starts us with optional
// flags followed by its own gRPC address; we listen on a free localhost port, print that port
// on stdout and serve pulumirpc.LanguageRuntime until the engine goes away.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"time"

	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// engineHealthInterval is how often we check that the engine is still alive; if it is gone we
// shut down so no orphaned hosts are left behind (upstream plugins do the same).
const engineHealthInterval = 5 * time.Minute

func main() {
	args := parseArgs(os.Args[1:])
	if args.showVersion {
		fmt.Println(version.Version)
		return
	}
	if args.showHelp {
		fmt.Fprintln(os.Stderr, usage)
		return
	}

	logging.InitLogging(args.logToStderr, args.verbose, args.logFlow)
	cmdutil.InitTracing("pulumi-language-nodejs", "pulumi-language-nodejs", args.tracing)

	// Stop serving on Ctrl-C, or when the engine we were started by disappears.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	if args.engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, args.engineAddress, engineHealthInterval, cancel); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start engine health check: %w", err))
		}
	}

	host := newHost(args)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.TracingServerInterceptorOptions(nil),
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}

	// The engine reads the first line of our stdout to learn where to connect.
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}
