"""Stand-ins of the providers for tests and the live run: a VNPay gateway and a bank-statement service (Casso
webhook v2), real HTTP servers on 127.0.0.1. Their signing is written here on its own, from the providers'
documents, so a test checks our code against a second implementation, in both directions."""

import datetime
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
import zoneinfo
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _hmac512(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode("utf-8"), hashlib.sha512).hexdigest()


def vnpay_hash(secret: str, params: dict) -> str:
    """VNPay's own recipe: vnp_* fields but the hash, sorted, urlencoded (quote_plus), joined by '&'."""
    fields = sorted((k, v) for k, v in params.items() if k.startswith("vnp_") and k != "vnp_SecureHash" and v != "")
    return _hmac512(secret, urllib.parse.urlencode(fields, quote_via=urllib.parse.quote_plus))


class VNPayStandIn:
    """Pays (or declines) what our payment URL asks, redirects the browser to the return URL and calls the IPN,
    both signed; answers querydr and refund (JSON, pipe-joined hashes) like VNPay's merchant API."""

    def __init__(self, *, tmn_code="OCOPTEST", secret="standin-vnpay-secret-0123456789"):  # noqa: S107
        self.tmn_code, self.secret = tmn_code, secret
        self.payments = {}  # TxnRef → {"params", "result"}
        self.refunds, self.queries, self.ipn_answers = [], [], []
        self.send_ipn = True
        self.response_code = "00"
        self.bad_signatures = 0
        self.ipn_url = ""
        self.counter = 14000000

    # --- what VNPay signs -----------------------------------------------------------------------------

    def result_params(self, txn_ref: str) -> dict:
        payment = self.payments[txn_ref]
        params = {
            "vnp_Amount": payment["params"]["vnp_Amount"],
            "vnp_BankCode": "NCB",
            "vnp_BankTranNo": f"VNP{payment['no']}",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": payment["params"]["vnp_OrderInfo"],
            "vnp_PayDate": payment["pay_date"],
            "vnp_ResponseCode": payment["code"],
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionNo": str(payment["no"]),
            "vnp_TransactionStatus": "00" if payment["code"] == "00" else "02",
            "vnp_TxnRef": txn_ref,
        }
        params["vnp_SecureHash"] = vnpay_hash(self.secret, params)
        return params

    def pay(self, url: str) -> str:
        """The shopper pays at the payment URL: returns where VNPay sends the browser back (signed)."""
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query, keep_blank_values=True))
        if not hmac.compare_digest(query.get("vnp_SecureHash", ""), vnpay_hash(self.secret, query)):
            self.bad_signatures += 1
            raise ValueError("VNPay: invalid signature on the payment URL")
        self.counter += 1
        self.payments[query["vnp_TxnRef"]] = {
            "params": query,
            "no": self.counter,
            "code": self.response_code,
            "pay_date": datetime.datetime.now(TZ).strftime("%Y%m%d%H%M%S"),
        }
        params = self.result_params(query["vnp_TxnRef"])
        if self.send_ipn and self.ipn_url:
            self.ipn_answers.append(httpx.get(self.ipn_url, params=params, timeout=20).json())
        return query["vnp_ReturnUrl"] + "?" + urllib.parse.urlencode(params)

    # --- merchant API ----------------------------------------------------------------------------------

    QUERYDR_IN = "vnp_RequestId vnp_Version vnp_Command vnp_TmnCode vnp_TxnRef vnp_TransactionDate vnp_CreateDate vnp_IpAddr vnp_OrderInfo"  # noqa: E501
    REFUND_IN = "vnp_RequestId vnp_Version vnp_Command vnp_TmnCode vnp_TransactionType vnp_TxnRef vnp_Amount vnp_TransactionNo vnp_TransactionDate vnp_CreateBy vnp_CreateDate vnp_IpAddr vnp_OrderInfo"  # noqa: E501
    OUT = "vnp_ResponseId vnp_Command vnp_ResponseCode vnp_Message vnp_TmnCode vnp_TxnRef vnp_Amount vnp_BankCode vnp_PayDate vnp_TransactionNo vnp_TransactionType vnp_TransactionStatus vnp_OrderInfo"  # noqa: E501

    def _pipe(self, body: dict, fields: str) -> str:
        return _hmac512(self.secret, "|".join(str(body.get(f, "")) for f in fields.split()))

    def api(self, body: dict) -> dict:
        command = body.get("vnp_Command")
        fields = self.QUERYDR_IN if command == "querydr" else self.REFUND_IN
        if not hmac.compare_digest(body.get("vnp_SecureHash", ""), self._pipe(body, fields)):
            self.bad_signatures += 1
            return {"vnp_ResponseCode": "97", "vnp_Message": "Invalid Checksum"}
        payment = self.payments.get(body["vnp_TxnRef"])
        answer = {
            "vnp_ResponseId": body["vnp_RequestId"],
            "vnp_Command": command,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": body["vnp_TxnRef"],
            "vnp_OrderInfo": body.get("vnp_OrderInfo", ""),
            "vnp_BankCode": "NCB",
        }
        if payment is None:
            answer.update(vnp_ResponseCode="91", vnp_Message="Not found", vnp_Amount="0")
        elif command == "querydr":
            self.queries.append(body)
            answer.update(
                vnp_ResponseCode="00",
                vnp_Message="QueryDR Success",
                vnp_Amount=payment["params"]["vnp_Amount"],
                vnp_PayDate=payment["pay_date"],
                vnp_TransactionNo=str(payment["no"]),
                vnp_TransactionType="01",
                vnp_TransactionStatus="00" if payment["code"] == "00" else "02",
            )
        else:
            self.refunds.append(body)
            answer.update(
                vnp_ResponseCode="00",
                vnp_Message="Refund success",
                vnp_Amount=body["vnp_Amount"],
                vnp_PayDate=payment["pay_date"],
                vnp_TransactionNo=str(payment["no"]),
                vnp_TransactionType=body["vnp_TransactionType"],
                vnp_TransactionStatus="05",
            )
        fields = self.OUT + (" vnp_PromotionCode vnp_PromotionAmount" if command == "querydr" else "")
        answer["vnp_SecureHash"] = self._pipe(answer, fields)
        return answer

    # --- server ----------------------------------------------------------------------------------------

    def start(self) -> "VNPayStandIn":
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, payload, headers=()):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802  the shopper's browser on the payment page: pay and go back
                try:
                    back = stand_in.pay(f"http://{self.headers['Host']}{self.path}")
                except ValueError as exc:
                    return self._reply(400, {"error": str(exc)})
                return self._reply(302, {}, [("Location", back)])

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                return self._reply(200, stand_in.api(body))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def payment_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/paymentv2/vpcpay.html"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/merchant_webapi/api/transaction"


def _sorted(value):
    return {k: _sorted(value[k]) for k in sorted(value)} if isinstance(value, dict) else value


class BankStatementStandIn:
    """Casso's side: for a transfer into the shop's account, POST the webhook v2 body signed with the checksum
    key (``X-Casso-Signature: t=<ms>,v1=<HMAC-SHA512 hex>``)."""

    def __init__(self, *, checksum_key="standin-casso-checksum-key-0123456789", account="0011001234567"):
        self.checksum_key, self.account = checksum_key, account
        self.next_id = 90000

    def body(self, *, amount: int, description: str, transfer_id: int | None = None) -> dict:
        if transfer_id is None:
            self.next_id += 1
            transfer_id = self.next_id
        return {
            "error": 0,
            "data": {
                "id": transfer_id,
                "reference": f"FT{transfer_id}",
                "description": description,
                "amount": amount,
                "runningBalance": 25000000,
                "transactionDateTime": datetime.datetime.now(TZ).strftime("%Y-%m-%d %H:%M:%S"),
                "accountNumber": self.account,
                "bankName": "Vietcombank",
                "bankAbbreviation": "VCB",
                "virtualAccountNumber": "",
                "virtualAccountName": "",
                "counterAccountName": "NGUYEN THI LAN",
                "counterAccountNumber": "0123456789",
                "counterAccountBankId": "970415",
                "counterAccountBankName": "VietinBank",
            },
        }

    def signature(self, body: dict, *, timestamp_ms: int | None = None, key: str | None = None) -> str:
        t = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
        message = t + "." + json.dumps(_sorted(body), separators=(",", ":"), ensure_ascii=False)
        return f"t={t},v1={_hmac512(key or self.checksum_key, message)}"

    def notify(self, url: str, body: dict, **sign) -> httpx.Response:
        raw = json.dumps(body, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "X-Casso-Signature": self.signature(body, **sign)}
        return httpx.post(url, content=raw, headers=headers, timeout=20)
