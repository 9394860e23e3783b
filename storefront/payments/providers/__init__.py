"""Adapters of the payment providers: each turns our requests into the provider's wire format and checks the
provider's signatures. No database access here: ``services`` decides what a verified message means."""
