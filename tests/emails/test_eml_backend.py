from __future__ import annotations

from email import message_from_bytes

from django.core.mail import EmailMultiAlternatives, get_connection


def test_it_writes_one_eml_file_per_message(settings, tmp_path):
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    connection = get_connection("emails.backends.EmlFileBackend")
    messages = []
    for n in range(2):
        message = EmailMultiAlternatives(f"Hello {n}", "Plain body", "from@example.org", [f"to{n}@example.org"])
        message.attach_alternative("<p>HTML body</p>", "text/html")
        messages.append(message)

    sent = connection.send_messages(messages)

    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert sent == 2
    assert len(files) == 2
    parsed = sorted((message_from_bytes(f.read_bytes()) for f in files), key=lambda m: m["Subject"])
    assert [m["Subject"] for m in parsed] == ["Hello 0", "Hello 1"]
    assert parsed[0]["To"] == "to0@example.org"
    assert parsed[0].is_multipart()
