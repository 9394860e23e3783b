"""GraphQL documents of payments through Saleor's Transactions API: the storefront's calls
(paymentGatewayInitialize, transactionInitialize, transactionProcess), the app's report of asynchronous outcomes
(transactionEventReport, needs HANDLE_PAYMENTS) and the subscriptions of the payment webhooks. All validated
against Saleor's schema by the tests.

Recorded from Saleor 3.23.28: a storefront (no app token) may not pass ``action`` nor ``customerIpAddress`` to
transactionInitialize (PermissionDenied, HANDLE_PAYMENTS): the channel's default flow (CHARGE) applies and Saleor
takes the address from the request."""

from .documents import _subscription

TRANSACTION_FIELDS = """
fragment TransactionFields on TransactionItem {
  id
  pspReference
  chargedAmount { amount currency }
  chargePendingAmount { amount currency }
  refundedAmount { amount currency }
  events { type amount { amount } pspReference message }
}
"""

PAYMENT_GATEWAY_INITIALIZE = """
mutation PaymentGatewayInitialize($id: ID!, $amount: PositiveDecimal, $gateways: [PaymentGatewayToInitialize!]) {
  paymentGatewayInitialize(id: $id, amount: $amount, paymentGateways: $gateways) {
    gatewayConfigs { id data errors { field message code } }
    errors { field message code }
  }
}
"""

TRANSACTION_INITIALIZE = (
    """
mutation TransactionInitialize(
  $id: ID!, $amount: PositiveDecimal, $gateway: PaymentGatewayToInitialize!, $idempotencyKey: String,
  $customerIpAddress: String
) {
  transactionInitialize(
    id: $id, amount: $amount, paymentGateway: $gateway, idempotencyKey: $idempotencyKey,
    customerIpAddress: $customerIpAddress
  ) {
    transaction { ...TransactionFields }
    transactionEvent { type message pspReference }
    data
    errors { field message code }
  }
}
"""
    + TRANSACTION_FIELDS
)

TRANSACTION_PROCESS = (
    """
mutation TransactionProcess($id: ID!, $data: JSON, $customerIpAddress: String) {
  transactionProcess(id: $id, data: $data, customerIpAddress: $customerIpAddress) {
    transaction { ...TransactionFields }
    transactionEvent { type message pspReference }
    data
    errors { field message code }
  }
}
"""
    + TRANSACTION_FIELDS
)

TRANSACTION_EVENT_REPORT = """
mutation TransactionEventReport(
  $id: ID!, $type: TransactionEventTypeEnum!, $amount: PositiveDecimal, $pspReference: String!, $message: String,
  $availableActions: [TransactionActionEnum!]
) {
  transactionEventReport(
    id: $id, type: $type, amount: $amount, pspReference: $pspReference, message: $message,
    availableActions: $availableActions
  ) {
    alreadyProcessed
    transaction { id chargedAmount { amount } refundedAmount { amount } }
    errors { field message code }
  }
}
"""

CHECKOUT_PAYMENT_STATE = """
query CheckoutPaymentState($id: ID!) {
  checkout(id: $id) {
    id
    chargeStatus
    authorizeStatus
    totalPrice { gross { amount currency } }
    transactions { id pspReference chargedAmount { amount } }
  }
}
"""

#: Staff side, used by the live test: refund a charged transaction from Saleor (like the dashboard's button).
TRANSACTION_REQUEST_REFUND = """
mutation TransactionRequestRefund($id: ID!, $amount: PositiveDecimal) {
  transactionRequestAction(id: $id, actionType: REFUND, amount: $amount) {
    transaction { id chargedAmount { amount } refundedAmount { amount } refundPendingAmount { amount } }
    errors { field message code }
  }
}
"""

TRANSACTION_STATE = """
query TransactionState($id: ID!) {
  transaction(id: $id) { id pspReference chargedAmount { amount } refundedAmount { amount } }
}
"""

ORDER_TRANSACTIONS = """
query OrderTransactions($id: ID!) {
  order(id: $id) {
    id number status chargeStatus
    transactions { id pspReference chargedAmount { amount } refundedAmount { amount } }
  }
}
"""

# --- payment webhook subscriptions (synchronous: Saleor waits for our JSON answer) ---------------------------

_CHECKOUT_SOURCE = (
    "sourceObject { __typename ... on Checkout { id email channel { slug } "
    "totalPrice { gross { amount currency } } lines { quantity variant { id } } } "
    "... on Order { id userEmail } }"
)
_TRANSACTION = "transaction { id token pspReference }"


PAYMENT_GATEWAY_INITIALIZE_SESSION_SUBSCRIPTION = _subscription(
    "PaymentGatewayInitializeSession", "data amount " + _CHECKOUT_SOURCE
)
TRANSACTION_INITIALIZE_SESSION_SUBSCRIPTION = _subscription(
    "TransactionInitializeSession",
    "data merchantReference customerIpAddress idempotencyKey action { amount currency actionType } "
    + _TRANSACTION
    + " "
    + _CHECKOUT_SOURCE,
)
TRANSACTION_PROCESS_SESSION_SUBSCRIPTION = _subscription(
    "TransactionProcessSession",
    "data merchantReference customerIpAddress action { amount currency actionType } "
    + _TRANSACTION
    + " "
    + _CHECKOUT_SOURCE,
)
TRANSACTION_REFUND_REQUESTED_SUBSCRIPTION = _subscription(
    "TransactionRefundRequested", "action { amount currency actionType } " + _TRANSACTION
)
TRANSACTION_CANCELATION_REQUESTED_SUBSCRIPTION = _subscription(
    "TransactionCancelationRequested", "action { amount currency actionType } " + _TRANSACTION
)

_PARTS = {"TRANSACTION_FIELDS"}


def all_documents() -> dict[str, str]:
    return {
        name: value
        for name, value in globals().items()
        if name.isupper() and isinstance(value, str) and name not in _PARTS and not name.startswith("_")
    }
