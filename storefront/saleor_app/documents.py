"""Every GraphQL document the app sends to Saleor, in one place.

``tests/test_documents.py`` validates each of them against Saleor's schema (``SALEOR_SCHEMA_PATH``), so a
misspelt field or a wrong input type fails a test, not production. Prices go in variables as JSON numbers.
"""

# --- install and setup -------------------------------------------------------------------------------

APP = "query App { app { id name identifier isActive permissions { code } } }"

#: The app's own webhooks (OWNER may read them), to bring subscriptions installed by an older manifest up to date.
APP_WEBHOOKS = """
query AppWebhooks {
  app { id webhooks { id name targetUrl isActive subscriptionQuery asyncEvents { eventType } } }
}
"""

WEBHOOK_CREATE = """
mutation WebhookCreate($input: WebhookCreateInput!) {
  webhookCreate(input: $input) { webhook { id name subscriptionQuery } errors { field message code } }
}
"""

WEBHOOK_UPDATE = """
mutation WebhookUpdate($id: ID!, $input: WebhookUpdateInput!) {
  webhookUpdate(id: $id, input: $input) { webhook { id name subscriptionQuery } errors { field message code } }
}
"""

CHANNELS = """
query Channels {
  channels { id slug name currencyCode isActive defaultCountry { code } warehouses { id slug } }
}
"""

CATEGORIES_BY_SLUG = """
query CategoriesBySlug($slugs: [String!]) {
  categories(first: 1, filter: {slugs: $slugs}) { edges { node { id slug } } }
}
"""

CATEGORY_CREATE = """
mutation CategoryCreate($input: CategoryInput!) {
  categoryCreate(input: $input) { category { id slug } errors { field message code } }
}
"""

ATTRIBUTES_BY_SLUG = """
query AttributesBySlug($slugs: [String!]) {
  attributes(first: 20, filter: {slugs: $slugs}) { edges { node { id slug inputType } } }
}
"""

ATTRIBUTE_CREATE = """
mutation AttributeCreate($input: AttributeCreateInput!) {
  attributeCreate(input: $input) { attribute { id slug inputType } errors { field message code } }
}
"""

PRODUCT_TYPES_BY_SLUG = """
query ProductTypesBySlug($slugs: [String!]) {
  productTypes(first: 1, filter: {slugs: $slugs}) { edges { node { id slug } } }
}
"""

PRODUCT_TYPE_CREATE = """
mutation ProductTypeCreate($input: ProductTypeInput!) {
  productTypeCreate(input: $input) {
    productType { id slug productAttributes { id slug } }
    errors { field message code }
  }
}
"""

# --- catalog sync ------------------------------------------------------------------------------------

PRODUCT_CREATE = """
mutation ProductCreate($input: ProductCreateInput!) {
  productCreate(input: $input) { product { id slug externalReference } errors { field message code } }
}
"""

PRODUCT_UPDATE = """
mutation ProductUpdate($id: ID!, $input: ProductInput!) {
  productUpdate(id: $id, input: $input) { product { id } errors { field message code } }
}
"""

VARIANT_CREATE = """
mutation VariantCreate($input: ProductVariantCreateInput!) {
  productVariantCreate(input: $input) {
    productVariant { id sku stocks { warehouse { id } quantity } }
    errors { field message code }
  }
}
"""

VARIANT_STOCKS_UPDATE = """
mutation VariantStocksUpdate($variantId: ID!, $stocks: [StockInput!]!) {
  productVariantStocksUpdate(variantId: $variantId, stocks: $stocks) {
    productVariant { id stocks { warehouse { id } quantity } }
    errors { field message code }
  }
}
"""

PRODUCT_CHANNEL_LISTING_UPDATE = """
mutation ProductChannelListingUpdate($id: ID!, $input: ProductChannelListingUpdateInput!) {
  productChannelListingUpdate(id: $id, input: $input) {
    product {
      id
      channelListings { channel { id slug } isPublished visibleInListings isAvailableForPurchase }
    }
    errors { field message code channels }
  }
}
"""

VARIANT_CHANNEL_LISTING_UPDATE = """
mutation VariantChannelListingUpdate($id: ID!, $input: [ProductVariantChannelListingAddInput!]!) {
  productVariantChannelListingUpdate(id: $id, input: $input) {
    variant { id channelListings { channel { id slug } price { amount currency } } }
    errors { field message code channels }
  }
}
"""

PRODUCT_LISTINGS = """
query ProductListings($id: ID!) {
  product(id: $id) {
    id
    externalReference
    channelListings { channel { id slug } isPublished visibleInListings isAvailableForPurchase }
    variants { id sku }
  }
}
"""

PRODUCTS_OF_TYPE = """
query ProductsOfType($productTypes: [ID!], $after: String) {
  products(first: 100, after: $after, filter: {productTypes: $productTypes}) {
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        externalReference
        channelListings { channel { id slug } isPublished visibleInListings isAvailableForPurchase }
        variants { id sku }
      }
    }
  }
}
"""

# --- checkout (storefront, anonymous) ----------------------------------------------------------------

CHECKOUT_FIELDS = """
fragment CheckoutFields on Checkout {
  id
  token
  email
  lines { id quantity variant { id sku } }
  totalPrice { gross { amount currency } }
  shippingMethods { id name active price { amount currency } }
  deliveryMethod { __typename ... on ShippingMethod { id name } }
}
"""

CHECKOUT_CREATE = (
    """
mutation CheckoutCreate($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { ...CheckoutFields }
    errors { field message code variants lines }
  }
}
"""
    + CHECKOUT_FIELDS
)

CHECKOUT = (
    """
query Checkout($id: ID!) { checkout(id: $id) { ...CheckoutFields } }
"""
    + CHECKOUT_FIELDS
)

CHECKOUT_DELIVERY_METHOD_UPDATE = (
    """
mutation CheckoutDeliveryMethodUpdate($id: ID!, $deliveryMethodId: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $deliveryMethodId) {
    checkout { ...CheckoutFields }
    errors { field message code }
  }
}
"""
    + CHECKOUT_FIELDS
)

CHECKOUT_PAYMENT_CREATE = """
mutation CheckoutPaymentCreate($id: ID!, $input: PaymentInput!) {
  checkoutPaymentCreate(id: $id, input: $input) {
    payment { id gateway chargeStatus total { amount currency } }
    errors { field message code variants }
  }
}
"""

ORDER_FIELDS = """
fragment OrderFields on Order {
  id
  number
  status
  userEmail
  total { gross { amount currency } }
  lines { productSku quantity variant { id } }
}
"""

CHECKOUT_COMPLETE = (
    """
mutation CheckoutComplete($id: ID!) {
  checkoutComplete(id: $id) {
    order { ...OrderFields }
    confirmationNeeded
    errors { field message code variants lines }
  }
}
"""
    + ORDER_FIELDS
)

#: Cash on delivery: the app turns the checkout into an unpaid order (needs HANDLE_CHECKOUTS).
ORDER_CREATE_FROM_CHECKOUT = (
    """
mutation OrderCreateFromCheckout($id: ID!) {
  orderCreateFromCheckout(id: $id, removeCheckout: true) {
    order { ...OrderFields }
    errors { field message code variants lines }
  }
}
"""
    + ORDER_FIELDS
)

# --- webhook subscriptions (declared in the manifest) ------------------------------------------------

#: What every delivery must carry inside its signed body. Saleor signs the body only (no header is signed), so
#: the event type (``__typename``), when it was issued (``issuedAt``: the replay window) and which app it was
#: issued for (``recipient``: our registered app, not another app of the same Saleor) are taken from here.
EVENT_ENVELOPE = "__typename issuedAt version recipient { id }"

PRODUCT_PAYLOAD = "product { id name slug externalReference channelListings { channel { id slug } isPublished isAvailableForPurchase visibleInListings } }"  # noqa: E501

ORDER_PAYLOAD = (
    "order { id number status userEmail total { gross { amount currency } } "
    "lines { productSku quantity unitPrice { gross { amount currency } } variant { id product { id } } } }"
)


def _subscription(event_type: str, payload: str) -> str:
    return "subscription { event { " + EVENT_ENVELOPE + " ... on " + event_type + " { " + payload + " } } }"


PRODUCT_CREATED_SUBSCRIPTION = _subscription("ProductCreated", PRODUCT_PAYLOAD)
PRODUCT_UPDATED_SUBSCRIPTION = _subscription("ProductUpdated", PRODUCT_PAYLOAD)
PRODUCT_DELETED_SUBSCRIPTION = _subscription("ProductDeleted", PRODUCT_PAYLOAD)
ORDER_FULLY_PAID_SUBSCRIPTION = _subscription("OrderFullyPaid", ORDER_PAYLOAD)
ORDER_CANCELLED_SUBSCRIPTION = _subscription("OrderCancelled", ORDER_PAYLOAD)


_PARTS = {"CHECKOUT_FIELDS", "ORDER_FIELDS", "PRODUCT_PAYLOAD", "ORDER_PAYLOAD", "EVENT_ENVELOPE"}


def all_documents() -> dict[str, str]:
    """Name → complete document (fragments included), for the schema test."""
    return {
        name: value
        for name, value in globals().items()
        if name.isupper() and isinstance(value, str) and name not in _PARTS
    }


# --- staff operations, used only by the live test against a real Saleor ------------------------------

STAFF_LOGIN = """
mutation TokenCreate($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { field message code } }
}
"""

APP_INSTALL = """
mutation AppInstall($input: AppInstallInput!) {
  appInstall(input: $input) { appInstallation { id status message } errors { field message code } }
}
"""

APP_DELETE = """
mutation AppDelete($id: ID!) { appDelete(id: $id) { app { id } errors { field message code } } }
"""

#: Order lookup for the storefront (app token, MANAGE_ORDERS): the caller checks the email itself.
ORDER_BY_NUMBER = """
query OrderByNumber($numbers: [String!]) {
  orders(first: 1, filter: {numbers: $numbers}) {
    edges {
      node {
        id
        number
        status
        created
        userEmail
        chargeStatus
        total { gross { amount currency } }
        lines { productName productSku quantity }
      }
    }
  }
}
"""

# --- staff operations: first-start registration (``saleor_app_register``) and the live test -----------

APPS = """
query Apps($search: String) {
  apps(first: 100, filter: {search: $search}) { edges { node { id name identifier isActive } } }
}
"""

APP_INSTALLATIONS = "query AppInstallations { appsInstallations { id status message manifestUrl appName } }"

APP_TOKEN_CREATE = """
mutation AppTokenCreate($input: AppTokenInput!) {
  appTokenCreate(input: $input) { authToken errors { field message code } }
}
"""  # noqa: S105 - a GraphQL document, not a secret

APP_ACTIVATE = """
mutation AppActivate($id: ID!) { appActivate(id: $id) { app { id isActive } errors { field message code } } }
"""

PRODUCT_DELETE = """
mutation ProductDelete($id: ID!) { productDelete(id: $id) { product { id } errors { field message code } } }
"""

PRODUCT_BY_REFERENCE = """
query ProductByReference($externalReference: String) {
  product(externalReference: $externalReference) { id externalReference variants { id sku } }
}
"""
