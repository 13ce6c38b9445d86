"""The preference export goes through TRL's own DPO data preparation unchanged.

No model is downloaded: a word-level tokenizer is trained on the exported texts and wrapped
for transformers with a small chat template, and the policy and reference are tiny random
Llama models built from a config.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # before datasets/transformers read their configuration

import pytest

pytestmark = pytest.mark.slow

CHAT_TEMPLATE = (
    "{% for message in messages %}{{ message['role'] }} : {{ message['content'] }} <eos> "
    "{% endfor %}{% if add_generation_prompt %}assistant : {% endif %}"
)


def tiny_tokenizer(texts: list[str]):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    specials = ["<unk>", "<pad>", "<eos>"]
    model = Tokenizer(models.WordLevel(unk_token="<unk>"))
    model.pre_tokenizer = pre_tokenizers.Whitespace()
    model.train_from_iterator(texts, trainers.WordLevelTrainer(special_tokens=specials))
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=model, unk_token="<unk>", pad_token="<pad>", eos_token="<eos>"
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def tiny_llama(vocab_size: int, pad_token_id: int):
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        hidden_size=16, num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
        intermediate_size=32, vocab_size=vocab_size, max_position_embeddings=128,
        pad_token_id=pad_token_id,
    )
    return LlamaForCausalLM(config)


def corpus(dataset) -> list[str]:
    texts = ["user assistant :"]
    for column in ("prompt", "chosen", "rejected"):
        texts += [m["content"] for messages in dataset[column] for m in messages]
    return texts


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_dpo_trainer_prepares_the_export_without_changes(world, out_dir, tmp_path, suffix):
    from datasets import load_dataset
    from trl import DPOConfig, DPOTrainer
    from trl.data_utils import is_conversational

    from accord.exports import export

    out = out_dir / f"ranks{suffix}"
    report = export(world.engine, "ranks", "preference", out)
    builder = "json" if suffix == ".jsonl" else "parquet"
    dataset = load_dataset(builder, data_files=str(out), split="train",
                           cache_dir=str(tmp_path / "hf-cache"))
    assert is_conversational(dataset[0])

    tokenizer = tiny_tokenizer(corpus(dataset))
    args = DPOConfig(output_dir=str(tmp_path / "dpo"), report_to=[], use_cpu=True,
                     per_device_train_batch_size=2, max_length=64, dataset_num_proc=None,
                     save_strategy="no", logging_strategy="no")
    trainer = DPOTrainer(
        model=tiny_llama(len(tokenizer), tokenizer.pad_token_id),
        ref_model=tiny_llama(len(tokenizer), tokenizer.pad_token_id),
        args=args, train_dataset=dataset, processing_class=tokenizer,
    )

    prepared = trainer.train_dataset
    assert prepared.num_rows == report.rows == 3
    assert {"prompt_ids", "chosen_ids", "rejected_ids"} <= set(prepared.column_names)
    for column in ("prompt", "chosen", "rejected", "margin"):
        assert prepared[column] == dataset[column]  # TRL needed nothing changed or extracted
    unk = tokenizer.unk_token_id
    for example in prepared:
        assert example["prompt_ids"] and example["chosen_ids"] and example["rejected_ids"]
        assert unk not in example["prompt_ids"] + example["chosen_ids"] + example["rejected_ids"]
    assert tokenizer.decode(prepared[0]["chosen_ids"]).split()[:1] == ["alpha"]
