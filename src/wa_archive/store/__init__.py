"""The write side: schema, migrations, engine set-up and the batched writer."""
