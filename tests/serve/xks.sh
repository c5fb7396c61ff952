# Stage 6c's XKS part (sourced by tests/serve/run.sh, docs/xks.md): the XKS proxy API through
# ./kms serve's TLS listener as AWS KMS calls it (HTTP/1.1, SigV4 service kms-xks-proxy), and the
# mutual TLS option. Uses run.sh's WORK, fail, say and kms_call.
#   xks_certificates          a test CA, a client certificate with AWS KMS's subject
#                             (CN=cks.kms.us-east-1.amazonaws.com), one with another subject from
#                             that CA, and one with the right subject from another CA
#   xks_health_without_mtls   URL CA-FILE BEARER-TOKEN: GetHealthStatus over TLS, no client certificate, on an
#                             instance without mutual TLS (curl's own SigV4)
#   xks_with_mtls             URL CA-FILE ROOT-KEYS BEARER-TOKEN SERVER-LOG: on an instance with
#                             KMS_XKS_MTLS_CA_FILE=$XKS/ca.pem — the key store and key through the
#                             extension API, the curl round trip (tests/cli/xks-curl-smoke.sh) over
#                             HTTP/1.1 with the client certificate, the refusals, the KMS API
#                             without a certificate, and the audit trail's XKS events
XKS=$WORK/xks

xks_certificates() {
  mkdir -p "$XKS"
  local ca
  for ca in ca other-ca; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=Keyhaven test $ca" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
      -keyout "$XKS/$ca.key" -out "$XKS/$ca.pem" 2>/dev/null
  done
  xks_client() { # name CN issuing-ca
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$2" \
      -keyout "$XKS/$1.key" -out "$XKS/$1.csr" 2>/dev/null
    openssl x509 -req -in "$XKS/$1.csr" -CA "$XKS/$3.pem" -CAkey "$XKS/$3.key" -CAcreateserial -days 2 \
      -extfile <(printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n') \
      -out "$XKS/$1.crt" 2>/dev/null
  }
  xks_client aws cks.kms.us-east-1.amazonaws.com ca
  xks_client wrong-subject xks.attacker.example ca
  xks_client other-ca-client cks.kms.us-east-1.amazonaws.com other-ca
}

xks_signed() { # url access secret json [curl args...]: a GetHealthStatus, body then status on the last line
  local url=$1 access=$2 secret=$3 json=$4
  shift 4
  curl -sS --aws-sigv4 aws:amz:us-east-1:kms-xks-proxy --user "$access:$secret" -H 'Content-Type: application/json' \
    -w '\n%{http_code}' --data "$json" "$@" "$url"
}

xks_health_without_mtls() { # url ca-file bearer-token
  local store access secret path answer
  store=$(kms_call "$1" KeyhavenAdmin.CreateXksKeyStore '{"Name":"serve-plain-tls"}' --cacert "$2" \
    -H "Authorization: Bearer $3")
  path=$(sed -n 's/.*"XksProxyUriPath":"\([^"]*\)".*/\1/p' <<<"$store")
  access=$(sed -n 's/.*"AccessKeyId":"\([^"]*\)".*/\1/p' <<<"$store")
  secret=$(sed -n 's/.*"SecretAccessKey":"\([^"]*\)".*/\1/p' <<<"$store")
  [[ -n $path && -n $secret ]] || fail "CreateXksKeyStore over TLS: $store"
  answer=$(xks_signed "$1$path/health" "$access" "$secret" '{"requestMetadata":{"kmsRequestId":"c1","kmsOperation":"KmsHealthCheck"}}' \
    --cacert "$2" --http1.1)
  [[ ${answer##*$'\n'} == 200 && $answer == *'"healthStatus":"ACTIVE"'* ]] \
    || fail "XKS GetHealthStatus over TLS without mutual TLS: $answer"
}

xks_with_mtls() { # url ca-file root-keys bearer-token server-log
  local url=$1 cafile=$2 root_keys=$3 token=$4 log=$5 answer status id
  mkdir -p "$XKS/env"
  { echo "KMS_ENDPOINT=$url"; echo "KMS_ACCOUNT_ID=$ACCOUNT"; echo "AWS_REGION=us-east-1"; grep '^AWS_' <<<"$root_keys"; } \
    >"$XKS/env/dev.env"
  # The round trip (both SigV4 service names, AAD and the integrity value, the negatives) over
  # HTTP/1.1 with AWS KMS's certificate; the extension API calls need no certificate.
  CURL_CA_BUNDLE=$cafile XKS_SMOKE_STATE=$XKS/state XKS_CURL_ARGS="--http1.1 --cert $XKS/aws.crt --key $XKS/aws.key" \
    tests/cli/xks-curl-smoke.sh "$XKS/env" >"$XKS/smoke.log" 2>&1 || { cat "$XKS/smoke.log" >&2; fail "the XKS round trip over TLS"; }
  say "7. XKS over TLS (HTTP/1.1, client certificate CN=cks.kms.us-east-1.amazonaws.com): $(grep -c ': ok' "$XKS/smoke.log") checks of tests/cli/xks-curl-smoke.sh"
  # shellcheck disable=SC1091
  . "$XKS/state" # uri_path access secret key name
  local health='{"requestMetadata":{"kmsRequestId":"b1","kmsOperation":"KmsHealthCheck"}}'
  answer=$(xks_signed "$url$uri_path/health" "$access" "$secret" "$health" --cacert "$cafile" \
    --cert "$XKS/aws.crt" --key "$XKS/aws.key")
  [[ ${answer##*$'\n'} == 200 ]] || fail "XKS over HTTP/2 with the client certificate: $answer"
  answer=$(xks_signed "$url$uri_path/health" "$access" "$secret" "$health" --cacert "$cafile" --http1.1 \
    -D "$XKS/no-certificate.headers")
  [[ ${answer##*$'\n'} == 401 && $answer == *'"errorName":"AuthenticationFailedException"'* && $answer == *'client certificate'* ]] \
    || fail "XKS without a client certificate was not refused with AuthenticationFailedException: $answer"
  say "7. XKS without a client certificate: 401 AuthenticationFailedException"
  for client in other-ca-client wrong-subject; do
    status=0
    answer=$(xks_signed "$url$uri_path/health" "$access" "$secret" "$health" --cacert "$cafile" --http1.1 \
      --cert "$XKS/$client.crt" --key "$XKS/$client.key" 2>&1) || status=$?
    [[ $status -ne 0 && ${answer##*$'\n'} == 000 && $answer != *healthStatus* ]] \
      || fail "a client certificate ($client) was not refused in the TLS handshake: exit $status, $answer"
  done
  say "7. client certificates of another CA or another subject: TLS handshake refused"
  answer=$(kms_call "$url" TrentService.GenerateRandom '{"NumberOfBytes":8}' --cacert "$cafile" --http1.1 \
    -H "Authorization: Bearer $token")
  [[ $answer == *'"Plaintext"'* ]] || fail "the KMS API without a client certificate under mutual TLS: $answer"
  say "7. the AWS KMS API on the same listener needs no client certificate"
  # The audit trail: AWS's use, with its request metadata, and the refused request.
  local operation
  for operation in Encrypt Decrypt GetKeyMetadata; do
    answer=$(kms_call "$url" KeyhavenAdmin.LookupEvents "{\"KeyId\":\"$key\",\"EventName\":\"XksProxy.$operation\"}" \
      --cacert "$cafile" -H "Authorization: Bearer $token")
    [[ $answer == *4112f4d6-db54-4af4-ae30-c55a22a8dfae* && $answer == *'user/keyhaven-xks/'"$name"* ]] \
      || fail "the audit trail lacks XksProxy.$operation with its request metadata: $answer"
  done
  # The refused request has no authenticated caller, so no account's LookupEvents lists it: its
  # event is in the server's audit lines (and its chain), found by the answer's request id.
  id=$(tr -d '\r' <"$XKS/no-certificate.headers" | sed -n 's/^x-amzn-requestid: *//Ip')
  [[ -n $id ]] || fail "no request id on the refused XKS request"
  for _ in $(seq 1 50); do
    answer=$(grep -F "\"requestID\":\"$id\"" "$log" || true)
    [[ -n $answer ]] && break
    sleep 0.1
  done
  [[ $answer == *'"errorCode":"AuthenticationFailedException"'* && $answer == *'requires a client certificate'* ]] \
    || fail "the XKS request refused for want of a client certificate is not audited (request $id): $answer"
  say "7. the audit trail shows XksProxy.Encrypt/Decrypt/GetKeyMetadata with AWS's request metadata and the refusals"
}
