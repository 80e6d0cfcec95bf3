package main

import (
	"context"
	"fmt"
	"os"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

const (
	kubeconfigName   = "kube-harness"
	defaultNamespace = "default"
	readyPoll        = 250 * time.Millisecond
)

// writeAdminKubeconfig embeds the certificates rather than pointing at files, so the kubeconfig stays
// usable by clients that resolve relative paths differently (kubectl, @kubernetes/client-node).
func writeAdminKubeconfig(path, server string, pki pkiFiles) error {
	caData, err := os.ReadFile(pki.CACert)
	if err != nil {
		return err
	}
	certData, err := os.ReadFile(pki.AdminCert)
	if err != nil {
		return err
	}
	keyData, err := os.ReadFile(pki.AdminKey)
	if err != nil {
		return err
	}
	config := clientcmdapi.NewConfig()
	config.Clusters[kubeconfigName] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: caData}
	config.AuthInfos[adminCommonName] = &clientcmdapi.AuthInfo{ClientCertificateData: certData, ClientKeyData: keyData}
	config.Contexts[kubeconfigName] = &clientcmdapi.Context{Cluster: kubeconfigName, AuthInfo: adminCommonName, Namespace: defaultNamespace}
	config.CurrentContext = kubeconfigName
	return clientcmd.WriteToFile(*config, path)
}

func adminClient(server string, pki pkiFiles) (*kubernetes.Clientset, error) {
	return kubernetes.NewForConfig(&rest.Config{
		Host: server,
		TLSClientConfig: rest.TLSClientConfig{
			CAFile:   pki.CACert,
			CertFile: pki.AdminCert,
			KeyFile:  pki.AdminKey,
		},
	})
}

// waitForAPIServer returns once /readyz answers "ok" and the bootstrap controller has created the
// default namespace; it gives up early if the apiserver stops.
func waitForAPIServer(ctx context.Context, client *kubernetes.Clientset, apiServer *completion) error {
	var lastErr error
	ticker := time.NewTicker(readyPoll)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("kube-apiserver not ready (last problem: %v): %w", lastErr, ctx.Err())
		case <-apiServer.done:
			return fmt.Errorf("kube-apiserver stopped before it was ready: %v", apiServer.err)
		case <-ticker.C:
		}
		body, err := client.CoreV1().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err != nil {
			lastErr = fmt.Errorf("/readyz: %v: %s", err, body)
			continue
		}
		if _, err := client.CoreV1().Namespaces().Get(ctx, defaultNamespace, metav1.GetOptions{}); err != nil {
			lastErr = fmt.Errorf("namespace %q: %v", defaultNamespace, err)
			continue
		}
		return nil
	}
}
