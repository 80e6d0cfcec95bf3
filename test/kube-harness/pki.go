package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

const (
	adminCommonName   = "harness-admin"
	adminOrganization = "system:masters" // the group RBAC binds to cluster-admin
	caCommonName      = "kube-harness-ca"
	servingCommonName = "kube-apiserver"
	certValidity      = 10 * 365 * 24 * time.Hour
	// Clocks of the processes that read these certs are the same machine's, but a cert that starts
	// "now" can be rejected by a verifier whose check runs in the same second with coarser rounding.
	certBackdate = time.Hour
)

// pkiFiles are the paths of everything the harness generates; one CA signs both the serving cert and the
// admin client cert, so the same ca.crt verifies the server and is the apiserver's --client-ca-file.
type pkiFiles struct {
	CACert         string
	ServingCert    string
	ServingKey     string
	AdminCert      string
	AdminKey       string
	ServiceAccount string // one private key: signing key for tokens, and (its public half) for verifying them
}

type keyPair struct {
	cert *x509.Certificate
	key  crypto.Signer
}

// generatePKI writes the public material the tests need into publicDir and the rest into privateDir.
func generatePKI(publicDir, privateDir string, node nodeMode) (pkiFiles, error) {
	files := pkiFiles{
		CACert:         filepath.Join(publicDir, "ca.crt"),
		AdminCert:      filepath.Join(publicDir, "admin.crt"),
		AdminKey:       filepath.Join(publicDir, "admin.key"),
		ServingCert:    filepath.Join(privateDir, "serving.crt"),
		ServingKey:     filepath.Join(privateDir, "serving.key"),
		ServiceAccount: filepath.Join(privateDir, "service-account.key"),
	}
	ca, err := newCertificate(&x509.Certificate{
		Subject:               pkix.Name{CommonName: caCommonName},
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	}, nil)
	if err != nil {
		return files, err
	}
	serving, err := newCertificate(&x509.Certificate{
		Subject:     pkix.Name{CommonName: servingCommonName},
		DNSNames:    node.servingNames(),
		IPAddresses: node.servingIPs(),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, &ca)
	if err != nil {
		return files, err
	}
	admin, err := newCertificate(&x509.Certificate{
		Subject:     pkix.Name{CommonName: adminCommonName, Organization: []string{adminOrganization}},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, &ca)
	if err != nil {
		return files, err
	}
	serviceAccountKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return files, fmt.Errorf("generate service-account key: %w", err)
	}

	writes := []struct {
		path  string
		write func(string) error
	}{
		{files.CACert, func(p string) error { return writeCertPEM(p, ca.cert) }},
		{files.ServingCert, func(p string) error { return writeCertPEM(p, serving.cert) }},
		{files.ServingKey, func(p string) error { return writeKeyPEM(p, serving.key) }},
		{files.AdminCert, func(p string) error { return writeCertPEM(p, admin.cert) }},
		{files.AdminKey, func(p string) error { return writeKeyPEM(p, admin.key) }},
		{files.ServiceAccount, func(p string) error { return writeECKeyPEM(p, serviceAccountKey) }},
	}
	for _, w := range writes {
		if err := w.write(w.path); err != nil {
			return files, fmt.Errorf("write %s: %w", w.path, err)
		}
	}
	return files, nil
}

// newCertificate signs template with parent, or self-signs when parent is nil.
func newCertificate(template *x509.Certificate, parent *keyPair) (keyPair, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return keyPair{}, fmt.Errorf("generate key for %q: %w", template.Subject.CommonName, err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return keyPair{}, fmt.Errorf("generate serial: %w", err)
	}
	template.SerialNumber = serial.Add(serial, big.NewInt(1))
	template.NotBefore = time.Now().Add(-certBackdate)
	template.NotAfter = time.Now().Add(certValidity)

	issuerCert, issuerKey := template, crypto.Signer(key)
	if parent != nil {
		issuerCert, issuerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, template, issuerCert, key.Public(), issuerKey)
	if err != nil {
		return keyPair{}, fmt.Errorf("sign certificate %q: %w", template.Subject.CommonName, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return keyPair{}, fmt.Errorf("parse certificate %q: %w", template.Subject.CommonName, err)
	}
	return keyPair{cert: cert, key: key}, nil
}

func writeCertPEM(path string, cert *x509.Certificate) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o644)
}

// writeKeyPEM uses PKCS#8 ("PRIVATE KEY"), which Go, OpenSSL/curl and Node.js all read.
func writeKeyPEM(path string, key crypto.Signer) error {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
}

// writeECKeyPEM uses SEC 1 ("EC PRIVATE KEY"): --service-account-key-file reads public keys out of private
// key files only in the RSA and EC forms, not PKCS#8.
func writeECKeyPEM(path string, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600)
}
