package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// harnessReady is the part of the harness's ready.json the node uses.
type harnessReady struct {
	Kubeconfig     string `json:"kubeconfig"`
	Server         string `json:"server"`
	CAFile         string `json:"caFile"`
	PID            int    `json:"pid"`
	ClientCertFile string `json:"clientCertFile"`
	ClientKeyFile  string `json:"clientKeyFile"`
}

// apiClient reads the API server with the harness's admin certificate (the node's own checks only).
type apiClient struct {
	server string
	http   *http.Client
}

func newAPIClient(ready harnessReady) (*apiClient, error) {
	ca, err := os.ReadFile(ready.CAFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return nil, fmt.Errorf("no certificate in %s", ready.CAFile)
	}
	cert, err := tls.LoadX509KeyPair(ready.ClientCertFile, ready.ClientKeyFile)
	if err != nil {
		return nil, err
	}
	transport := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}}}
	return &apiClient{server: ready.Server, http: &http.Client{Transport: transport, Timeout: 10 * time.Second}}, nil
}

// get decodes the JSON object at path; a 404 is reported as found == false.
func (c *apiClient) get(path string, into any) (found bool, err error) {
	response, err := c.http.Get(c.server + path)
	if err != nil {
		return false, err
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	if err != nil {
		return false, err
	}
	if response.StatusCode == http.StatusNotFound {
		return false, nil
	}
	if response.StatusCode != http.StatusOK {
		return false, fmt.Errorf("GET %s: HTTP %d: %s", path, response.StatusCode, body)
	}
	return true, json.Unmarshal(body, into)
}

type nodeStatus struct {
	Status struct {
		Conditions []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
		} `json:"conditions"`
	} `json:"status"`
}

func (c *apiClient) nodeReady(name string) (bool, error) {
	var node nodeStatus
	found, err := c.get("/api/v1/nodes/"+name, &node)
	if err != nil || !found {
		return false, err
	}
	for _, condition := range node.Status.Conditions {
		if condition.Type == "Ready" {
			return condition.Status == "True", nil
		}
	}
	return false, nil
}
