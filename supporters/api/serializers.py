from __future__ import annotations

from typing import Any

from rest_framework import serializers

from supporters.identity import MAX_ADDRESS_LENGTH


class MyDataRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(
        max_length=MAX_ADDRESS_LENGTH, help_text="The address to send the export and erase links to."
    )


class MyDataAcceptedSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="The same answer whether or not we hold anything about the address.")
