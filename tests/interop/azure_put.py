"""Put a model directory into Azure Blob Storage with Microsoft's own SDK (azure-storage-blob).

usage: azure_put.py CONTAINER PREFIX DIR [--public]
The account comes from AZURE_STORAGE_CONNECTION_STRING (Azurite in the tests), spoken to at
the newest service version Azurite 3.37 knows (2026-06-06; the SDK's default is newer). Every file of
DIR is uploaded as PREFIX/<relative path>; the container is created when missing. Prints a
container SAS (read + list, one hour) made by the SDK's generate_container_sas, the kind
`az storage container generate-sas` hands out.
"""
import datetime
import os
import sys

from azure.storage.blob import BlobServiceClient, ContainerSasPermissions, generate_container_sas


def main() -> None:
    container, prefix, root = sys.argv[1:4]
    service = BlobServiceClient.from_connection_string(os.environ["AZURE_STORAGE_CONNECTION_STRING"], api_version="2026-06-06")
    client = service.get_container_client(container)
    if not client.exists():
        client.create_container(public_access="container" if "--public" in sys.argv else None)
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path, "rb") as f:
                client.upload_blob(f"{prefix}/{rel}", f, overwrite=True)
    sas = generate_container_sas(
        account_name=service.account_name,
        container_name=container,
        account_key=service.credential.account_key,
        permission=ContainerSasPermissions(read=True, list=True),
        expiry=datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1),
    )
    print(sas)


if __name__ == "__main__":
    main()
