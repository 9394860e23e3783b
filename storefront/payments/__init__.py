"""Online payments of the store: VietQR bank transfers (confirmed by a bank-statement service) and VNPay, as a
payment App of Saleor (the Saleor-facing half is ``storefront.saleor_app.payment_webhooks``)."""
