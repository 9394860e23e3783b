"""The contract fake's half for Saleor's Transactions API, as a real Saleor 3.23.28 answers it (recorded in
``data/recorded/payments/``):

- ``paymentGatewayInitialize`` / ``transactionInitialize`` / ``transactionProcess`` call the payment App's
  synchronous webhook (a signed POST, like Saleor) and turn its JSON answer into transaction events;
- ``transactionEventReport`` (app, HANDLE_PAYMENTS) adds an event, or answers ``alreadyProcessed`` for one with
  the same type, pspReference and amount (Saleor's de-duplication);
- ``transactionRequestAction`` (REFUND, CANCEL) calls the App's TRANSACTION_REFUND_REQUESTED /
  TRANSACTION_CANCELATION_REQUESTED webhook;
- a checkout's ``chargeStatus`` follows the charged amounts, and ``checkoutComplete`` accepts a fully charged
  checkout.
"""

import json
import uuid
from decimal import Decimal

#: Event types that move money in the transaction's amounts (Saleor's ``recalculate_transaction_amounts``).
_CHARGED = {"CHARGE_SUCCESS": 1, "CHARGE_BACK": -1, "REFUND_SUCCESS": -1}
_REFUNDED = {"REFUND_SUCCESS": 1, "REFUND_REVERSE": -1}


class PaymentsMixin:
    #: The payment App: our App's identifier is the gateway id.
    payment_gateway_id = "vn.ocop-daklak.store"

    def use_payment_app(self, target_url: str, subscriptions: dict[str, str]) -> None:
        """Register the App's synchronous payment webhooks (event → subscription query), as its manifest does."""
        self.payment_target = target_url
        self.payment_subscriptions = dict(subscriptions)
        self.transactions = {}
        self.sync_deliveries = []  # (event, request body, answer) in order

    # --- the synchronous webhook -------------------------------------------------------------------------

    def _call_app(self, event: str, obj: dict) -> dict | None:
        import httpx

        body, headers = self.webhook(event.lower(), self.payment_subscriptions[event], obj)
        try:
            response = httpx.post(self.payment_target, content=body, headers=headers, timeout=20)
            answer = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError):
            answer = None
        self.sync_deliveries.append((event, json.loads(body), answer))
        return answer

    def _source_view(self, checkout) -> dict:
        view = self._checkout_view(checkout)
        channel = self.channels[checkout["channel"]]
        return {
            "__typename": "Checkout",
            "id": checkout["id"],
            "email": checkout["email"],
            "channel": {"slug": channel["slug"]},
            "totalPrice": view["totalPrice"],
            "lines": [{"quantity": line["quantity"], "variant": {"id": line["variant"]}} for line in checkout["lines"]],
        }

    # --- transactions ------------------------------------------------------------------------------------

    def _transaction_view(self, item) -> dict:
        charged = sum(Decimal(e["amount"]["amount"]) * _CHARGED.get(e["type"], 0) for e in item["events"])
        refunded = sum(Decimal(e["amount"]["amount"]) * _REFUNDED.get(e["type"], 0) for e in item["events"])
        pending_refund = sum(Decimal(e["amount"]["amount"]) for e in item["events"] if e["type"] == "REFUND_REQUEST")
        pending_charge = sum(Decimal(e["amount"]["amount"]) for e in item["events"] if e["type"] in ("CHARGE_REQUEST",))
        return {
            "__typename": "TransactionItem",
            "id": item["id"],
            "token": item["token"],
            "pspReference": item["pspReference"],
            "chargedAmount": {"amount": charged, "currency": "VND"},
            "chargePendingAmount": {"amount": pending_charge, "currency": "VND"},
            "refundedAmount": {"amount": refunded, "currency": "VND"},
            "refundPendingAmount": {"amount": max(pending_refund - refunded, 0), "currency": "VND"},
            "events": list(reversed(item["events"])),  # recorded: newest first
        }

    def _add_event(self, item, kind, amount, psp_reference, message="") -> tuple[dict, bool]:
        for event in item["events"]:
            if (event["type"], event["pspReference"], Decimal(event["amount"]["amount"])) == (
                kind,
                psp_reference,
                Decimal(str(amount)),
            ):
                return event, True
        event = {
            "type": kind,
            "amount": {"amount": Decimal(str(amount)), "currency": "VND"},
            "pspReference": psp_reference or "",
            "message": message or "",
        }
        item["events"].append(event)
        if kind in ("CHARGE_SUCCESS", "CHARGE_ACTION_REQUIRED", "AUTHORIZATION_SUCCESS") and psp_reference:
            item["pspReference"] = psp_reference
        return event, False

    def _apply_answer(self, item, answer, amount) -> dict:
        if not answer or "result" not in answer:
            event, _ = self._add_event(item, "CHARGE_FAILURE", amount, "", "Failed to delivery request.")
            return event
        event, _ = self._add_event(
            item, answer["result"], answer.get("amount", amount), answer.get("pspReference"), answer.get("message")
        )
        return event

    def charged(self, checkout) -> Decimal:
        items = [t for t in self.transactions.values() if t["checkout"] == checkout["id"]]
        return sum((self._transaction_view(t)["chargedAmount"]["amount"] for t in items), Decimal(0))

    def charge_status(self, checkout) -> str:
        charged, total = self.charged(checkout), self._total(checkout)
        if charged <= 0:
            return "NONE"
        if charged < total:
            return "PARTIAL"
        return "FULL" if charged == total else "OVERCHARGED"

    def r_paymentGatewayInitialize(self, args, app):  # noqa: N802
        checkout = self._checkout_or_error(args["id"])
        if not self.payment_target:  # no payment App installed: no gateway to initialize
            return {"gatewayConfigs": [], "errors": []}
        configs = []
        for gateway in args.get("paymentGateways") or [{"id": self.payment_gateway_id}]:
            if gateway["id"] != self.payment_gateway_id:
                continue
            answer = self._call_app(
                "PAYMENT_GATEWAY_INITIALIZE_SESSION",
                {
                    "data": gateway.get("data"),
                    "amount": args.get("amount"),
                    "sourceObject": self._source_view(checkout),
                },
            )
            configs.append({"id": gateway["id"], "data": (answer or {}).get("data"), "errors": []})
        return {"gatewayConfigs": configs, "errors": []}

    def r_transactionInitialize(self, args, app):  # noqa: N802
        from .fake_saleor import MutationErrors, _err

        checkout = self._checkout_or_error(args["id"])
        if args.get("action") or args.get("customerIpAddress"):  # like Saleor: an app's right (recorded)
            self._need("HANDLE_PAYMENTS", app)
        gateway = args["paymentGateway"]
        if gateway["id"] != self.payment_gateway_id:
            raise MutationErrors([_err("NOT_FOUND", "paymentGateway", "Active app with `HANDLE_PAYMENT` not found.")])
        amount = Decimal(str(args.get("amount") or self._total(checkout) - self.charged(checkout)))
        token = str(uuid.uuid4())
        item = {
            "id": self._new_id("TransactionItem"),
            "token": token,
            "pspReference": "",
            "checkout": checkout["id"],
            "events": [],
        }
        self.transactions[item["id"]] = item
        answer = self._call_app(
            "TRANSACTION_INITIALIZE_SESSION",
            {
                "transaction": {"id": item["id"], "token": token, "pspReference": ""},
                "sourceObject": self._source_view(checkout),
                "data": gateway.get("data"),
                "merchantReference": item["id"],
                "customerIpAddress": args.get("customerIpAddress"),
                "idempotencyKey": args.get("idempotencyKey") or token,
                "action": {"amount": amount, "currency": "VND", "actionType": args.get("action") or "CHARGE"},
            },
        )
        # Recorded: Saleor keeps the request as a CHARGE_REQUEST event (given the answer's pspReference), then
        # the answer's event.
        self._add_event(item, "CHARGE_REQUEST", amount, (answer or {}).get("pspReference") or "")
        event = self._apply_answer(item, answer, amount)
        return {
            "transaction": self._transaction_view(item),
            "transactionEvent": event,
            "data": (answer or {}).get("data"),
            "errors": [],
        }

    def _transaction_or_error(self, transaction_id):
        from .fake_saleor import MutationErrors, _err

        item = self.transactions.get(transaction_id) or next(
            (t for t in self.transactions.values() if t["token"] == transaction_id), None
        )
        if item is None:
            raise MutationErrors([_err("NOT_FOUND", "id")])
        return item

    def r_transactionProcess(self, args, app):  # noqa: N802
        item = self._transaction_or_error(args.get("id"))
        checkout = self.checkouts.get(item["checkout"])
        amount = next((e["amount"]["amount"] for e in item["events"] if e["type"] == "CHARGE_ACTION_REQUIRED"), 0)
        answer = self._call_app(
            "TRANSACTION_PROCESS_SESSION",
            {
                "transaction": {"id": item["id"], "token": item["token"], "pspReference": item["pspReference"]},
                "sourceObject": self._source_view(checkout) if checkout else None,
                "data": args.get("data"),
                "merchantReference": item["id"],
                "customerIpAddress": args.get("customerIpAddress"),
                "action": {"amount": amount, "currency": "VND", "actionType": "CHARGE"},
            },
        )
        event = self._apply_answer(item, answer, amount)
        return {
            "transaction": self._transaction_view(item),
            "transactionEvent": event,
            "data": (answer or {}).get("data"),
            "errors": [],
        }

    def r_transactionEventReport(self, args, app):  # noqa: N802
        self._need("HANDLE_PAYMENTS", app)
        item = self._transaction_or_error(args.get("id"))
        event, already = self._add_event(
            item, args["type"], args.get("amount") or 0, args["pspReference"], args.get("message")
        )
        return {"alreadyProcessed": already, "transaction": self._transaction_view(item), "errors": []}

    def r_transactionRequestAction(self, args, app):  # noqa: N802
        if not self.as_staff:
            self._need("HANDLE_PAYMENTS", app)
        item = self._transaction_or_error(args.get("id"))
        view = self._transaction_view(item)
        action = args["actionType"]
        amount = Decimal(str(args.get("amount") or view["chargedAmount"]["amount"]))
        event = "TRANSACTION_REFUND_REQUESTED" if action == "REFUND" else "TRANSACTION_CANCELATION_REQUESTED"
        request_type = "REFUND_REQUEST" if action == "REFUND" else "CANCEL_REQUEST"
        request, _ = self._add_event(item, request_type, amount, "", "")
        before = self._transaction_view(item)  # recorded: Saleor answers with the amounts from before the App's answer
        answer = self._call_app(
            event,
            {
                "transaction": {"id": item["id"], "token": item["token"], "pspReference": item["pspReference"]},
                "action": {"amount": amount, "currency": "VND", "actionType": action},
            },
        )
        if answer and answer.get("result"):
            self._add_event(item, answer["result"], answer.get("amount", amount), answer.get("pspReference"))
        elif answer and answer.get("pspReference"):
            request["pspReference"] = answer["pspReference"]
        return {"transaction": before, "errors": []}

    def order_charge(self, checkout) -> dict:
        """What an order created from a checkout inherits: its transactions and charge status."""
        return {
            "chargeStatus": self.charge_status(checkout),
            "transactions": [
                self._transaction_view(t) for t in self.transactions.values() if t["checkout"] == checkout["id"]
            ],
        }
