#!/bin/sh
# deploy/gen-certs.sh [DIR] - TLS for the webhook without cert-manager: a self-signed CA
# (10 years) and a serving certificate (DAYS, default 365) for the Service's names, with
# openssl. Writes DIR/ca.crt, ca.key, tls.crt, tls.key (default DIR: ./plimsoll-certs).
# Run it again to renew the serving certificate: an existing CA in DIR is kept, so the
# webhook's caBundle stays valid and the server reloads the new pair without a restart.
# NAMESPACE and SERVICE (default plimsoll, plimsoll) name the Service. Prints the two kubectl
# commands that install the pair and the CA.
set -eu
dir=${1:-plimsoll-certs}
ns=${NAMESPACE:-plimsoll}
svc=${SERVICE:-plimsoll}
days=${DAYS:-365}
umask 077
mkdir -p "$dir"
ec() { echo "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"; }
if [ ! -s "$dir/ca.crt" ] || [ ! -s "$dir/ca.key" ]; then
	# shellcheck disable=SC2046
	openssl req -x509 $(ec) -days 3650 -subj "/CN=$svc-webhook-ca" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
		-keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
fi
# shellcheck disable=SC2046
openssl req -new $(ec) -subj "/CN=$svc.$ns.svc" -keyout "$dir/tls.key.new" -out "$dir/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:%s.%s.svc,DNS:%s.%s.svc.cluster.local\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
	"$svc" "$ns" "$svc" "$ns" >"$dir/tls.ext"
openssl x509 -req -in "$dir/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
	-set_serial "0x$(openssl rand -hex 16)" -days "$days" -extfile "$dir/tls.ext" \
	-out "$dir/tls.crt.new" 2>/dev/null
openssl verify -CAfile "$dir/ca.crt" "$dir/tls.crt.new" >/dev/null
# the key first: a server that sees the new certificate with the old key keeps its old pair
mv "$dir/tls.key.new" "$dir/tls.key"
mv "$dir/tls.crt.new" "$dir/tls.crt"
rm -f "$dir/tls.csr" "$dir/tls.ext"
cat <<EOT
wrote $dir/ca.crt, $dir/tls.crt and $dir/tls.key (CN $svc.$ns.svc, $days days). Install:
  kubectl -n $ns create secret tls plimsoll-tls --cert=$dir/tls.crt --key=$dir/tls.key --dry-run=client -o yaml | kubectl apply -f -
  kubectl patch validatingwebhookconfiguration plimsoll --type=json -p '[{"op":"add","path":"/webhooks/0/clientConfig/caBundle","value":"'\$(base64 -w0 $dir/ca.crt)'"}]'
EOT
